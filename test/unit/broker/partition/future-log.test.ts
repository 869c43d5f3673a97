import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG } from '../../../../src/broker/log/log-config.js';
import { Log } from '../../../../src/broker/log/log.js';
import { LEADER_EPOCH_CHECKPOINT } from '../../../../src/broker/partition/leader-epoch-cache.js';
import { Partition, type PartitionContext } from '../../../../src/broker/partition/partition.js';
import { BATCH } from '../../../../src/protocol/records/batch-header.js';
import { encodeBatch } from '../../../../src/protocol/records/record-batch.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function openLog(): Log {
  const dir = mkdtempSync(join(tmpdir(), 'kts-future-'));
  const log = Log.open({ dir, topicPartition: { topic: 't', partition: 0 }, config: DEFAULT_LOG_CONFIG, hadCleanShutdown: true });
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => log.close(),
  );
  return log;
}

/** A leader's batch of `count` records at `baseOffset` in `epoch`, as a follower receives it. */
function leaderBatch(baseOffset: bigint, epoch: number, count: number): Buffer {
  const batch = encodeBatch({ baseOffset, records: Array.from({ length: count }, (_, i) => ({ value: Buffer.from(`r${i}`) })) });
  batch.writeInt32BE(epoch, BATCH.PARTITION_LEADER_EPOCH);
  return batch;
}

const context: PartitionContext = {
  localBrokerId: 2,
  replicaLagTimeMaxMs: () => 30_000,
  isBrokerAlive: () => true,
  submitIsrChange: () => {},
  onHighWatermark: () => {},
  now: () => Date.now(),
};

describe("Partition's future log (a replica moving between log dirs)", () => {
  it('loses what a follower truncates, and takes over with the leader epochs once caught up', () => {
    const current = openLog();
    const future = openLog();
    const partition = new Partition(current, context);
    partition.makeFollower({ replicas: [1, 2], leader: 1, leaderEpoch: 3, isr: [1, 2], partitionEpoch: 1 });
    partition.appendAsFollower(Buffer.concat([leaderBatch(0n, 1, 5), leaderBatch(5n, 3, 5)]));
    partition.setFutureLog(future);
    partition.appendToFutureLog(current.read(0n, 1 << 20));
    expect(future.logEndOffset).toBe(10n);

    // The new leader never had offsets 7..9: both logs lose them, so the copy cannot keep records the replica dropped.
    partition.truncateTo(7n);
    expect([current.logEndOffset, future.logEndOffset]).toEqual([7n, 7n]);
    partition.appendAsFollower(leaderBatch(7n, 4, 2));
    expect(partition.maybeReplaceCurrentWithFutureLog(() => future)).toBe(false);

    partition.makeLeader({ replicas: [1, 2], leader: 2, leaderEpoch: 5, isr: [1, 2], partitionEpoch: 2 });
    partition.appendToFutureLog(current.read(7n, 1 << 20));
    expect(partition.maybeReplaceCurrentWithFutureLog(() => future)).toBe(true);
    expect(partition.log).toBe(future);
    expect(partition.futureLog).toBeUndefined();
    // Epoch 5 started at the log end with no batch in it yet, and still ends there.
    expect(readFileSync(join(future.dir, LEADER_EPOCH_CHECKPOINT), 'utf8')).toBe('0\n4\n1 0\n3 5\n4 7\n5 9\n');
    expect(partition.endOffsetForEpoch(4)).toEqual({ leaderEpoch: 4, endOffset: 9n });
  });
});
