import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG } from '../../../../src/broker/log/log-config.js';
import { Log } from '../../../../src/broker/log/log.js';
import { LEADER_EPOCH_CHECKPOINT, LeaderEpochCache } from '../../../../src/broker/partition/leader-epoch-cache.js';
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

describe('LeaderEpochCache (Kafka’s LeaderEpochFileCache)', () => {
  it('ends the current epoch at the log end and older ones where the next epoch starts', () => {
    const log = logWritten([
      { epoch: 0, count: 3 },
      { epoch: 2, count: 4 },
      { epoch: 5, count: 2 },
    ]);
    const cache = LeaderEpochCache.load(log);
    const end = (epoch: number) => cache.endOffsetFor(epoch, log.logStartOffset, log.logEndOffset);
    expect(end(5)).toEqual({ leaderEpoch: 5, endOffset: 9n });
    expect(end(0)).toEqual({ leaderEpoch: 0, endOffset: 3n });
    // An epoch in which nothing was written reports the epoch before it.
    expect(end(3)).toEqual({ leaderEpoch: 2, endOffset: 7n });
    expect(end(6)).toEqual({ leaderEpoch: -1, endOffset: -1n });
    expect(end(-1)).toEqual({ leaderEpoch: -1, endOffset: -1n });
  });

  it('is created empty for a new log, as Kafka creates it, and written once an epoch is assigned', () => {
    const log = logWritten([]);
    const path = join(log.dir, LEADER_EPOCH_CHECKPOINT);
    const cache = LeaderEpochCache.load(log);
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(LeaderEpochCache.load(log).entries).toEqual([]);
    cache.assign(0, 0n);
    expect(readFileSync(path, 'utf8')).toBe('0\n1\n0 0\n');
    // A log with batches and no file (written before replication existed) gets its entries written at once.
    const old = logWritten([{ epoch: 3, count: 2 }]);
    rmSync(join(old.dir, LEADER_EPOCH_CHECKPOINT), { force: true });
    LeaderEpochCache.load(old);
    expect(readFileSync(join(old.dir, LEADER_EPOCH_CHECKPOINT), 'utf8')).toBe('0\n1\n3 0\n');
  });

  it('is not written again when a restarted leader assigns what it holds (an empty partition: epoch 0 at 0)', () => {
    const log = logWritten([]);
    const path = join(log.dir, LEADER_EPOCH_CHECKPOINT);
    LeaderEpochCache.load(log).assign(0, 0n);
    utimesSync(path, 0, 0);
    expect(readFileSync(path, 'utf8')).toBe('0\n1\n0 0\n');
    // Loading drops the epoch that starts at the log end (as Kafka's recovery); the leader assigns it again.
    const reloaded = LeaderEpochCache.load(log);
    expect(reloaded.entries).toEqual([]);
    reloaded.assign(0, 0n);
    expect(reloaded.entries).toEqual([{ epoch: 0, startOffset: 0n }]);
    // A write replaces the file (modified now): none happened.
    expect(statSync(path).mtimeMs).toBe(0);
    reloaded.assign(1, 0n);
    expect(readFileSync(path, 'utf8')).toBe('0\n1\n1 0\n');
  });

  it('starts a new leader’s epoch at the log end, and forgets epochs below the log start', () => {
    const log = logWritten([
      { epoch: 0, count: 3 },
      { epoch: 1, count: 3 },
    ]);
    const cache = LeaderEpochCache.load(log);
    cache.assign(4, log.logEndOffset);
    expect(cache.endOffsetFor(1, 0n, log.logEndOffset)).toEqual({ leaderEpoch: 1, endOffset: 6n });
    expect(cache.endOffsetFor(4, 0n, log.logEndOffset)).toEqual({ leaderEpoch: 4, endOffset: 6n });
    // With the log start at 4, epoch 1 starts there: asking for epoch 0 gets that start.
    expect(cache.endOffsetFor(0, 4n, log.logEndOffset)).toEqual({ leaderEpoch: 0, endOffset: 4n });
    expect(cache.endOffsetFor(0, 0n, log.logEndOffset)).toEqual({ leaderEpoch: 0, endOffset: 3n });
    // The latest epoch (what an in-sync follower asks every fetch) ends at the log end, whatever the log start.
    expect(cache.endOffsetFor(4, 5n, log.logEndOffset)).toEqual({ leaderEpoch: 4, endOffset: 6n });
    expect(cache.endOffsetFor(1, 5n, log.logEndOffset)).toEqual({ leaderEpoch: 1, endOffset: 6n });
  });

  it('keeps its entries in leader-epoch-checkpoint, Kafka’s format, and reads them back', () => {
    const log = logWritten([{ epoch: 0, count: 3 }]);
    const cache = LeaderEpochCache.load(log);
    cache.assign(3, 3n);
    expect(readFileSync(join(log.dir, LEADER_EPOCH_CHECKPOINT), 'utf8')).toBe('0\n2\n0 0\n3 3\n');
    log.append(encodeBatch({ records: [{ value: Buffer.from('x') }] }), { leaderEpoch: 3 });
    // The file, not the batches, is what a restart reads: an entry only it holds comes back.
    writeFileSync(join(log.dir, LEADER_EPOCH_CHECKPOINT), '0\n3\n0 0\n1 2\n3 3\n');
    expect(LeaderEpochCache.load(log).entries).toEqual([
      { epoch: 0, startOffset: 0n },
      { epoch: 1, startOffset: 2n },
      { epoch: 3, startOffset: 3n },
    ]);
    // As Kafka's log loading: entries starting at or past the log end are dropped.
    log.truncateTo(3n);
    expect(LeaderEpochCache.load(log).entries.map((e) => e.epoch)).toEqual([0, 1]);
  });

  it('drops entries a newer epoch contradicts, and entries past a truncation', () => {
    const log = logWritten([]);
    const cache = LeaderEpochCache.load(log);
    cache.assign(1, 0n);
    cache.assign(2, 5n);
    cache.assign(4, 9n);
    // Same epoch at a later offset: nothing new.
    cache.assign(4, 12n);
    expect(cache.entries.map((e) => e.epoch)).toEqual([1, 2, 4]);
    // A leader of epoch 3 starting at 7: epoch 4 (newer) and nothing else goes... as Kafka, every
    // entry with an epoch >= 3 or a start >= 7 is dropped first.
    cache.assign(3, 7n);
    expect(cache.entries).toEqual([
      { epoch: 1, startOffset: 0n },
      { epoch: 2, startOffset: 5n },
      { epoch: 3, startOffset: 7n },
    ]);
    cache.truncateFromEnd(5n);
    expect(cache.entries).toEqual([{ epoch: 1, startOffset: 0n }]);
    expect(cache.latestEpoch).toBe(1);
  });

  it('rebuilds from batch headers when the file is missing, and refuses a corrupt file', () => {
    const log = logWritten([
      { epoch: 2, count: 2 },
      { epoch: 7, count: 1 },
    ]);
    expect(LeaderEpochCache.load(log).entries).toEqual([
      { epoch: 2, startOffset: 0n },
      { epoch: 7, startOffset: 2n },
    ]);
    writeFileSync(join(log.dir, LEADER_EPOCH_CHECKPOINT), '0\n1\nseven 2\n');
    expect(() => LeaderEpochCache.load(log)).toThrow(/malformed line/);
  });

  it('answers an empty log with undefined epochs', () => {
    const log = logWritten([]);
    const cache = LeaderEpochCache.load(log);
    expect(cache.endOffsetFor(0, 0n, 0n)).toEqual({ leaderEpoch: -1, endOffset: -1n });
    cache.assign(0, 0n);
    cache.assign(1, 5n);
    expect(cache.endOffsetFor(0, 0n, 8n)).toEqual({ leaderEpoch: 0, endOffset: 5n });
  });
});
