import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG } from '../../../../src/broker/log/log-config.js';
import { Log } from '../../../../src/broker/log/log.js';
import { LeaderEpochCache } from '../../../../src/broker/partition/leader-epoch-cache.js';
import { encodeBatch } from '../../../../src/protocol/records/record-batch.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A log whose batches were written by leaders of the given epochs, `count` records each. */
function logWritten(epochs: readonly { epoch: number; count: number }[]): Log {
  const dir = mkdtempSync(join(tmpdir(), 'kts-epochs-'));
  const log = Log.open({ dir, topicPartition: { topic: 't', partition: 0 }, config: DEFAULT_LOG_CONFIG, hadCleanShutdown: true });
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => log.close(),
  );
  for (const { epoch, count } of epochs) {
    const records = Array.from({ length: count }, (_, i) => ({ value: Buffer.from(`r${i}`) }));
    log.append(encodeBatch({ records }), { leaderEpoch: epoch });
  }
  return log;
}

describe('LeaderEpochCache (Kafka’s endOffsetFor)', () => {
  it('ends the current epoch at the log end and older ones where the next epoch starts', () => {
    const log = logWritten([
      { epoch: 0, count: 3 },
      { epoch: 2, count: 4 },
      { epoch: 5, count: 2 },
    ]);
    const cache = new LeaderEpochCache(log, 5);
    const end = (epoch: number) => cache.endOffsetFor(epoch, log.logStartOffset, log.logEndOffset);
    expect(end(5)).toEqual({ leaderEpoch: 5, endOffset: 9n });
    expect(end(0)).toEqual({ leaderEpoch: 0, endOffset: 3n });
    // An epoch in which nothing was written reports the epoch before it.
    expect(end(3)).toEqual({ leaderEpoch: 2, endOffset: 7n });
    expect(end(6)).toEqual({ leaderEpoch: -1, endOffset: -1n });
    expect(end(-1)).toEqual({ leaderEpoch: -1, endOffset: -1n });
  });

  it('starts a new leader’s epoch at the log end, and forgets epochs below the log start', () => {
    const log = logWritten([
      { epoch: 0, count: 3 },
      { epoch: 1, count: 3 },
    ]);
    const cache = new LeaderEpochCache(log, 4);
    expect(cache.endOffsetFor(1, 0n, log.logEndOffset)).toEqual({ leaderEpoch: 1, endOffset: 6n });
    expect(cache.endOffsetFor(4, 0n, log.logEndOffset)).toEqual({ leaderEpoch: 4, endOffset: 6n });
    // With the log start at 4, epoch 1 starts there: asking for epoch 0 gets that start.
    expect(cache.endOffsetFor(0, 4n, log.logEndOffset)).toEqual({ leaderEpoch: 0, endOffset: 4n });
    expect(cache.endOffsetFor(0, 0n, log.logEndOffset)).toEqual({ leaderEpoch: 0, endOffset: 3n });
  });

  it('answers an empty log for the current epoch only', () => {
    const log = logWritten([]);
    const cache = new LeaderEpochCache(log, 0);
    expect(cache.endOffsetFor(0, 0n, 0n)).toEqual({ leaderEpoch: 0, endOffset: 0n });
    cache.assign(0, 0n);
    cache.assign(1, 5n);
    expect(cache.endOffsetFor(0, 0n, 8n)).toEqual({ leaderEpoch: 0, endOffset: 5n });
  });
});
