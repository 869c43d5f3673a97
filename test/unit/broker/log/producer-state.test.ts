import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogError } from '../../../../src/broker/log/log-error.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../../src/broker/log/log-config.js';
import { Log } from '../../../../src/broker/log/log.js';
import { endTxnMarkerBatch } from '../../../../src/protocol/records/control-record.js';
import { decodeProducerSnapshot } from '../../../../src/protocol/records/producer-snapshot.js';
import { encodeBatch } from '../../../../src/protocol/records/record-batch.js';
import { dumpTxnIndex } from '../../../../src/tools/dump-log/state-files.js';
import { tempDir } from './batches.js';

const INT32_MAX = 0x7fffffff;
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function openLog(dir?: string, overrides: Partial<LogConfig> = {}, hadCleanShutdown = true): Log {
  if (!dir) {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    dir = tmp.path;
  }
  const log = Log.open({
    dir,
    topicPartition: { topic: 't', partition: 0 },
    config: { ...DEFAULT_LOG_CONFIG, ...overrides },
    hadCleanShutdown,
  });
  cleanups.push(() => log.close());
  return log;
}

function data(producerId: bigint, baseSequence: number, count: number, options: { epoch?: number; transactional?: boolean } = {}): Buffer {
  return encodeBatch({
    producerId,
    producerEpoch: options.epoch ?? 0,
    baseSequence,
    transactional: options.transactional ?? false,
    records: Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp: 1_700_000_000_000n })),
  });
}

function marker(producerId: bigint, commit: boolean, options: { epoch?: number; coordinatorEpoch?: number } = {}): Buffer {
  return encodeBatch(
    endTxnMarkerBatch({
      producerId,
      producerEpoch: options.epoch ?? 0,
      commit,
      coordinatorEpoch: options.coordinatorEpoch ?? 0,
      timestamp: 1_700_000_000_000n,
    }),
  );
}

function refusal(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    return err instanceof LogError ? err.code : String(err);
  }
}

const client = { leaderEpoch: 0 } as const;
const coordinator = { leaderEpoch: 0, origin: 'coordinator' } as const;

describe('producer state in the log', () => {
  it('continues across the int32 sequence wrap and answers a retry with the original offsets', () => {
    const log = openLog();
    log.append(data(7n, INT32_MAX - 1, 2), client);
    expect(log.append(data(7n, 0, 3), client)).toMatchObject({ baseOffset: 2n, lastOffset: 4n });
    expect(log.append(data(7n, 0, 3), client)).toMatchObject({ baseOffset: 2n, lastOffset: 4n, duplicate: true });
    expect(log.logEndOffset).toBe(5n);
    expect(refusal(() => log.append(data(7n, INT32_MAX - 1, 4), client))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
  });

  it('remembers the last five batches of a producer and fences older epochs', () => {
    const log = openLog();
    for (let i = 0; i < 6; i++) log.append(data(7n, i, 1), client);
    expect(log.append(data(7n, 1, 1), client).duplicate).toBe(true);
    expect(refusal(() => log.append(data(7n, 0, 1), client))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    log.append(data(7n, 0, 1, { epoch: 3 }), client);
    expect(refusal(() => log.append(data(7n, 1, 1, { epoch: 2 }), client))).toBe('INVALID_PRODUCER_EPOCH');
    expect(refusal(() => log.append(data(7n, 5, 1, { epoch: 4 }), client))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
  });

  it('keeps the last stable offset at the first open transaction and indexes aborts', () => {
    const log = openLog();
    log.append(data(1n, 0, 2, { transactional: true }), client); // 0-1, txn of 1 opens at 0
    log.append(data(2n, 0, 1, { transactional: true }), client); // 2, txn of 2 opens at 2
    expect(log.firstUnstableOffset(log.logEndOffset)).toBe(0n);
    expect(refusal(() => log.append(data(1n, 2, 1), client))).toBe('INVALID_TXN_STATE');
    log.append(marker(1n, false), coordinator); // 3 aborts txn of 1
    // Unreplicated until the high watermark passes the marker.
    expect(log.firstUnstableOffset(3n)).toBe(0n);
    expect(log.firstUnstableOffset(4n)).toBe(2n);
    log.append(marker(2n, true), coordinator); // 4 commits txn of 2
    expect(log.firstUnstableOffset(5n)).toBeUndefined();
    expect(log.collectAbortedTxns(0n, 5n)).toEqual([{ producerId: 1n, firstOffset: 0n, lastOffset: 3n, lastStableOffset: 2n }]);
    expect(log.collectAbortedTxns(4n, 5n)).toEqual([]);
    const lines: string[] = [];
    dumpTxnIndex(join(log.dir, '00000000000000000000.txnindex'), (l) => lines.push(l));
    expect(lines).toEqual(['version: 0 producerId: 1 firstOffset: 0 lastOffset: 3 lastStableOffset: 2']);
  });

  it('forgets producers idle for producer.id.expiration.ms, never one whose transaction is open', () => {
    const written = 1_700_000_000_000; // the batches' and markers' timestamp
    const log = openLog();
    log.append(data(1n, 0, 1, { transactional: true }), client);
    log.append(data(2n, 0, 2), client);
    const state = log.producerState;
    expect(state.removeExpiredProducers(written + 999, 1000)).toBe(0);
    expect(state.removeExpiredProducers(written + 1000, 1000)).toBe(1);
    expect([...state.producers.keys()]).toEqual([1n]);
    expect(state.ongoingTransactions).toEqual([{ producerId: 1n, firstOffset: 0n }]);
    // Forgotten, producer 2 starts afresh: a retry of its last batch is written again, not answered as a duplicate.
    expect(log.append(data(2n, 0, 2), client)).toMatchObject({ baseOffset: 3n, lastOffset: 4n });
    log.append(marker(1n, true), coordinator);
    expect(state.removeExpiredProducers(written + 1000, 1000)).toBe(2);
    expect(state.producers.size).toBe(0);
    const end = log.logEndOffset;
    log.close();
    expect(decodeProducerSnapshot(readFileSync(join(log.dir, `${String(end).padStart(20, '0')}.snapshot`)))).toEqual([]);
  });

  it('refuses markers from a fenced epoch or an older coordinator', () => {
    const log = openLog();
    log.append(data(1n, 0, 1, { epoch: 2, transactional: true }), client);
    expect(refusal(() => log.append(marker(1n, true, { epoch: 1 }), coordinator))).toBe('INVALID_PRODUCER_EPOCH');
    log.append(marker(1n, true, { epoch: 2, coordinatorEpoch: 5 }), coordinator);
    log.append(data(1n, 1, 1, { epoch: 2, transactional: true }), client);
    expect(refusal(() => log.append(marker(1n, true, { epoch: 2, coordinatorEpoch: 4 }), coordinator))).toBe(
      'TRANSACTION_COORDINATOR_FENCED',
    );
  });

  it('snapshots on roll and on close, and a reopened log knows open transactions and sequences', () => {
    const log = openLog(undefined, { 'segment.bytes': 100 });
    log.append(data(1n, 0, 3, { transactional: true }), client);
    log.append(data(2n, 0, 3), client); // rolls: snapshot at 3
    log.append(marker(1n, false), coordinator);
    log.append(data(1n, 3, 1, { transactional: true }), client);
    const names = readdirSync(log.dir).filter((n) => n.endsWith('.snapshot'));
    expect(names.length).toBeGreaterThan(0);
    const first = decodeProducerSnapshot(readFileSync(join(log.dir, '00000000000000000003.snapshot')));
    expect(first).toEqual([expect.objectContaining({ producerId: 1n, lastSequence: 2, lastOffset: 2n, currentTxnFirstOffset: 0n })]);
    const end = log.logEndOffset;
    const abortedBefore = log.collectAbortedTxns(0n, end);
    log.close();
    expect(readdirSync(log.dir)).toContain(`${String(end).padStart(20, '0')}.snapshot`);

    const again = openLog(log.dir, { 'segment.bytes': 100 });
    expect(again.firstUnstableOffset(end)).toBe(end - 1n);
    expect(again.collectAbortedTxns(0n, end)).toEqual(abortedBefore);
    expect(again.append(data(2n, 0, 3), client).duplicate).toBe(true);
    expect(again.producerState.entry(1n)?.currentTxnFirstOffset).toBe(end - 1n);
  });

  it("recovers a segment whose .txnindex has an entry ending before it, with a WARN in Kafka's words", () => {
    const log = openLog(undefined, { 'segment.bytes': 100 });
    log.append(data(1n, 0, 3, { transactional: true }), client); // 0-2
    log.append(marker(1n, false), coordinator); // 3 aborts txn of 1
    log.append(data(2n, 0, 3), client); // 4-6, in a later segment
    const aborted = log.collectAbortedTxns(0n, log.logEndOffset);
    expect(aborted).toHaveLength(1);
    const [index] = readdirSync(log.dir).filter((n) => n.endsWith('.txnindex'));
    const later = readdirSync(log.dir)
      .filter((n) => n.endsWith('.log'))
      .sort()
      .at(-1)!;
    expect(later > index!).toBe(true);
    log.close();
    // That index under the later segment's name: its entry ends below that segment's base offset.
    const bogus = join(log.dir, later.replace('.log', '.txnindex'));
    copyFileSync(join(log.dir, index!), bogus);
    const warnings: string[] = [];
    const again = Log.open({
      dir: log.dir,
      topicPartition: log.topicPartition,
      config: log.config,
      hadCleanShutdown: true,
      warn: (message) => warnings.push(message),
    });
    cleanups.push(() => again.close());
    const base = BigInt(later.slice(0, 20));
    expect(warnings.map((w) => w.slice(w.indexOf('] ') + 2))).toEqual([
      `Found a corrupted index file corresponding to log file ${join(log.dir, later)} due to Last offset of aborted transaction 3 in index ${bogus} is less than start offset ${base}, recovering segment and rebuilding index files...`,
    ]);
    expect(again.collectAbortedTxns(0n, again.logEndOffset)).toEqual(aborted);
  });

  it('rebuilds state and the aborted-transaction index after a crash, and after truncation', () => {
    const log = openLog();
    log.append(data(1n, 0, 1, { transactional: true }), client); // 0
    log.append(marker(1n, false), coordinator); // 1
    log.append(data(1n, 1, 1, { transactional: true }), client); // 2
    // A crash: no snapshot at close, the index lost with the unflushed segment's recovery.
    const again = Log.open({ dir: log.dir, topicPartition: log.topicPartition, config: log.config, hadCleanShutdown: false });
    cleanups.push(() => again.close());
    expect(again.collectAbortedTxns(0n, 3n)).toEqual([{ producerId: 1n, firstOffset: 0n, lastOffset: 1n, lastStableOffset: 2n }]);
    expect(again.firstUnstableOffset(3n)).toBe(2n);
    again.truncateTo(2n);
    expect(again.firstUnstableOffset(2n)).toBeUndefined();
    again.truncateTo(1n);
    expect(again.collectAbortedTxns(0n, 1n)).toEqual([]);
    expect(again.firstUnstableOffset(1n)).toBe(0n);
  });
});
