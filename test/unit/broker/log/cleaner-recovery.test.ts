import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogCleaner } from '../../../../src/broker/log/cleaner/log-cleaner.js';
import type { LogSegment } from '../../../../src/broker/log/log-segment.js';
import { Log } from '../../../../src/broker/log/log.js';
import { cleanerFor, keyedBatch, openCompactedLog, storedBatches } from './cleaner-helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A log whose next cleaning pass merges several small cleaned segments into one group. */
function logWithOneGroupToClean(): Log {
  const { log, remove } = openCompactedLog({ 'segment.bytes': 2048 });
  cleanups.push(remove);
  for (let i = 0; i < 120; i++) log.append(keyedBatch([[`k${i % 5}`, `first-${i}`]]), { leaderEpoch: 0 });
  log.roll();
  cleanerFor([log]).cleanFilthiestLog();
  for (let i = 0; i < 10; i++) log.append(keyedBatch([[`k${i % 5}`, `second-${i}`]]), { leaderEpoch: 0 });
  log.roll();
  return log;
}

function reopen(log: Log): Log {
  log.close();
  const again = Log.open({ dir: log.dir, topicPartition: log.topicPartition, config: log.config, now: () => 0 });
  cleanups.push(() => again.close());
  return again;
}

function leftovers(log: Log): string[] {
  return readdirSync(log.dir).filter((f) => /\.(cleaned|swap|deleted)$/.test(f));
}

/**
 * Stops the pass right where a crash would: the cleaned segment is committed (`.swap`) and, with
 * `oldFilesRenamed`, the old segments' files are already `.deleted`, but the swap is not finished.
 */
function crashAtSwap(log: Log, oldFilesRenamed: boolean): void {
  log.replaceSegments = (old: readonly LogSegment[], cleaned: LogSegment) => {
    if (oldFilesRenamed) for (const segment of old) segment.closeAndMarkDeleted();
    cleaned.close();
    throw new Error('simulated crash');
  };
  expect(() => cleanerFor([log]).cleanFilthiestLog()).toThrow('simulated crash');
  expect(leftovers(log).some((f) => f.endsWith('.log.swap'))).toBe(true);
}

describe('log cleaner crash safety', () => {
  it.each([
    ['the old segments are still in place', false],
    ['the old segments were already renamed .deleted', true],
  ])('completes a committed swap on load when %s', (_, oldFilesRenamed) => {
    const crashed = logWithOneGroupToClean();
    const twin = logWithOneGroupToClean();
    cleanerFor([twin]).cleanFilthiestLog();
    expect(twin.segmentBaseOffsets).toHaveLength(2);

    crashAtSwap(crashed, oldFilesRenamed);
    const recovered = reopen(crashed);

    expect(leftovers(recovered)).toEqual([]);
    expect(recovered.segmentBaseOffsets).toEqual(twin.segmentBaseOffsets);
    expect(recovered.logEndOffset).toBe(twin.logEndOffset);
    expect(storedBatches(recovered)).toEqual(storedBatches(twin));
    // The rebuilt indexes serve reads from any offset.
    for (let offset = 0n; offset < recovered.logEndOffset; offset += 7n) {
      expect(recovered.read(offset, 1)).toEqual(twin.read(offset, 1));
    }
  });

  it('discards an unfinished .cleaned segment on load', () => {
    const log = logWithOneGroupToClean();
    const before = storedBatches(log);
    writeFileSync(join(log.dir, '00000000000000000000.log.cleaned'), Buffer.alloc(100, 7));
    writeFileSync(join(log.dir, '00000000000000000000.index.cleaned'), Buffer.alloc(8));
    writeFileSync(join(log.dir, '00000000000000000000.timeindex.swap'), Buffer.alloc(12));

    const recovered = reopen(log);

    expect(leftovers(recovered)).toEqual([]);
    expect(storedBatches(recovered)).toEqual(before);
  });

  it('reports a log it cannot clean and skips it from then on', () => {
    const log = logWithOneGroupToClean();
    const before = storedBatches(log);
    // A stray .cleaned file makes creating the cleaned segment fail, as a broken disk would.
    writeFileSync(join(log.dir, '00000000000000000000.log.cleaned'), '');
    const errors: Error[] = [];
    const failing = new LogCleaner({
      logDirs: [],
      logs: () => [log],
      lastStableOffset: (l) => l.logEndOffset,
      backoffMs: 1000,
      dedupeBufferSize: 1 << 20,
      now: () => 0,
      onError: (err) => errors.push(err),
    });
    expect(failing.cleanFilthiestLog()).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^Cannot clean t-0, skipping it until restart: .*EEXIST/)]);
    expect(storedBatches(log)).toEqual(before);
    // Marked uncleanable: not tried again.
    expect(failing.cleanFilthiestLog()).toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
