import { KtsError } from '../../util/errors.js';
import { decodeBatch } from '../../protocol/records/record-batch.js';
import { inspectLegacyEntry } from '../../protocol/records/legacy-message-set.js';
import { BATCH } from '../../protocol/records/batch-header.js';
import { DumpProblems } from './dump-problems.js';
import type { OffsetIndexFile, TimeIndexFile } from './index-files.js';
import type { FileBatch, SegmentFile } from './segment-file.js';

const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

export interface IndexDumpOptions {
  /** --index-sanity-check: only the check the broker runs at start-up. */
  sanityOnly: boolean;
  /** --verify-index-only: compare with the log, print nothing but the problems. */
  verifyOnly: boolean;
  /** --max-message-size: how much of the log to read at an entry's position. */
  maxMessageSize: number;
}

/**
 * DumpLogSegments.dumpIndex: each entry of a `.index` (`offset: N position: P`), checked against
 * the last offset of the batch at that position in the segment; a zero entry after the first ends
 * the file (preallocated space).
 */
export function dumpOffsetIndex(
  index: OffsetIndexFile,
  absolutePath: string,
  log: SegmentFile,
  opts: IndexDumpOptions,
  problems: DumpProblems,
  print: (line: string) => void,
): void {
  if (index.entries === 0) {
    print(`${index.path} is empty.`);
    return;
  }
  if (opts.sanityOnly) {
    const problem = index.sanityProblem(absolutePath);
    if (problem !== undefined) throw new KtsError(`Error: ${problem}`);
    print(`${index.path} passed sanity check.`);
    return;
  }
  for (let i = 0; i < index.entries; i++) {
    const entry = index.entry(i);
    if (entry.offset === index.baseOffset && i > 0) return;
    const first = log.batches(entry.position, entry.position + opts.maxMessageSize).next();
    const lastOffset = first.done ? -1n : lastOffsetOf(first.value);
    if (lastOffset !== entry.offset) DumpProblems.prepend(problems.indexMismatches, absolutePath, [entry.offset, lastOffset]);
    if (!opts.verifyOnly) print(`offset: ${entry.offset} position: ${entry.position}`);
  }
}

/**
 * DumpLogSegments.dumpTimeIndex: each entry of a `.timeindex` (`timestamp: T offset: O`), checked
 * against the batch it names (found through the offset index): its last offset, and the largest
 * timestamp of its records; timestamps must grow.
 */
export function dumpTimeIndex(
  timeIndex: TimeIndexFile,
  absolutePath: string,
  index: OffsetIndexFile,
  log: SegmentFile,
  opts: IndexDumpOptions,
  problems: DumpProblems,
  print: (line: string) => void,
): void {
  if (opts.sanityOnly) {
    const problem = timeIndex.sanityProblem(absolutePath);
    if (problem !== undefined) throw new KtsError(`Error: ${problem}`);
    print(`${timeIndex.path} passed sanity check.`);
    return;
  }
  let previous = -1n;
  for (let i = 0; i < timeIndex.entries; i++) {
    const entry = timeIndex.entry(i);
    if (entry.offset === timeIndex.baseOffset && i > 0) return;
    const { position } = index.lookup(entry.offset);
    let found: FileBatch | undefined;
    for (const batch of log.batches(position)) {
      if (lastOffsetOf(batch) >= entry.offset) {
        found = batch;
        break;
      }
    }
    if (found === undefined) DumpProblems.append(problems.offsetsNotFound, absolutePath, [entry.offset, -1n]);
    else if (lastOffsetOf(found) !== entry.offset)
      DumpProblems.append(problems.offsetsNotFound, absolutePath, [entry.offset, lastOffsetOf(found)]);
    else {
      const max = maxRecordTimestamp(found);
      if (max !== entry.timestamp) DumpProblems.append(problems.timeIndexMismatches, absolutePath, [entry.timestamp, max]);
      if (previous >= entry.timestamp) DumpProblems.append(problems.outOfOrderTimestamps, absolutePath, [entry.timestamp, previous]);
    }
    if (!opts.verifyOnly) print(`timestamp: ${entry.timestamp} offset: ${entry.offset}`);
    previous = entry.timestamp;
  }
}

function lastOffsetOf(batch: FileBatch): bigint {
  if (batch.magic < 2) return batch.bytes.readBigInt64BE(0);
  return batch.bytes.readBigInt64BE(BATCH.BASE_OFFSET) + BigInt(batch.bytes.readInt32BE(BATCH.LAST_OFFSET_DELTA));
}

/** The largest timestamp among the batch's records (-1 without any), read through compression. */
function maxRecordTimestamp(batch: FileBatch): bigint {
  let max = -1n;
  const timestamps =
    batch.magic < 2
      ? inspectLegacyEntry(batch.bytes, { maxDecompressedBytes: MAX_DECOMPRESSED_BYTES }).messages.map((m) => m.timestamp)
      : decodeBatch(batch.bytes, { maxDecompressedBytes: MAX_DECOMPRESSED_BYTES, verifyCrc: false }).records.map((r) => r.timestamp);
  for (const t of timestamps) if (t > max) max = t;
  return max;
}
