import { readdirSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { completeInterruptedSwaps } from './cleaner/swap-recovery.js';
import type { LogConfig } from './log-config.js';
import { DELETED_SUFFIX, LOG_SUFFIX, parseSegmentFileName } from './log-file-names.js';
import { LogSegment, type SegmentRecovery } from './log-segment.js';

export interface LoadParams {
  dir: string;
  config: LogConfig;
  /** From log-start-offset-checkpoint; 0 when absent. */
  logStartOffset: bigint;
  /** From recovery-point-offset-checkpoint: everything below it was fsynced. 0 when absent. */
  recoveryPoint: bigint;
  /** The log dir had a `.kafka_cleanshutdown` marker: nothing needs recovering. */
  hadCleanShutdown: boolean;
  now: number;
  rollJitterMs: () => number;
  /** What recovery changed in the files (truncations, deletions, rebuilt indexes), as Kafka's LogLoader warns of it. */
  warn: (message: string) => void;
}

export interface LoadedLog {
  segments: LogSegment[];
  logStartOffset: bigint;
  logEndOffset: bigint;
  recoveryPoint: bigint;
}

/**
 * Opens a partition directory as Kafka's LogLoader does: completes or discards an interrupted
 * cleaner swap, drops leftovers (`.deleted` files, indexes without a log), recovers the segments
 * from the recovery point on after an unclean shutdown (cutting at the first bad batch and
 * dropping every later segment), rebuilds any index that is missing or fails its sanity check,
 * and settles the start and end offsets. Every change to the files is reported with `warn`,
 * in Kafka's words where it has them, with the file, the offsets and the bytes.
 */
export function loadLog(params: LoadParams): LoadedLog {
  const { dir, config, now } = params;
  const warn = (message: string) => params.warn(`[LogLoader partition=${basename(dir)}, dir=${dirname(dir)}] ${message}`);
  const interval = config['index.interval.bytes'];
  let names = readdirSync(dir);
  if (completeInterruptedSwaps(dir, names)) names = readdirSync(dir);
  const bases = new Set<bigint>();
  const orphans: string[] = [];
  for (const name of names) {
    // force: a background delete of the previous instance may remove it first.
    if (name.endsWith(DELETED_SUFFIX)) rmSync(join(dir, name), { force: true });
    const parsed = parseSegmentFileName(name);
    if (parsed?.suffix === LOG_SUFFIX) bases.add(parsed.baseOffset);
    else if (parsed) orphans.push(name);
  }
  for (const name of orphans) {
    if (bases.has(parseSegmentFileName(name)!.baseOffset)) continue;
    warn(`Found an orphaned index file ${join(dir, name)}, with no corresponding log file.`);
    unlinkSync(join(dir, name));
  }
  let segments = [...bases].sort((a, b) => (a < b ? -1 : 1)).map((base) => LogSegment.open(dir, base, now, params.rollJitterMs()));

  const firstToRecover = params.hadCleanShutdown ? segments.length : Math.max(0, floorIndex(segments, params.recoveryPoint));
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (i < firstToRecover) {
      const fault = indexFault(segment);
      if (fault) {
        warn(fault);
        reportTruncation(segment, segment.recover(interval), warn);
      }
      continue;
    }
    const recovery = segment.recover(interval);
    if (recovery.truncatedBytes === 0) continue;
    reportTruncation(segment, recovery, warn);
    warn(`Corruption found in segment ${segment.baseOffset}, truncating to offset ${segment.readNextOffset()}`);
    const later = segments.slice(i + 1);
    if (later.length > 0) warn(`Deleting segments as part of log recovery: ${describeSegments(later)}`);
    for (const dropped of later) deleteNow(dropped);
    segments = segments.slice(0, i + 1);
    break;
  }

  let logEndOffset = segments.at(-1)?.readNextOffset() ?? params.logStartOffset;
  if (segments.length === 0 || logEndOffset < params.logStartOffset) {
    // Empty, or recovery lost data below a start offset DeleteRecords had already moved past.
    if (segments.length > 0) {
      warn(
        `Deleting all segments because logEndOffset (${logEndOffset}) is smaller than logStartOffset ${params.logStartOffset}. This could happen if segment files were deleted from the file system.`,
      );
    }
    for (const segment of segments) deleteNow(segment);
    segments = [LogSegment.create(dir, params.logStartOffset, now, params.rollJitterMs())];
    logEndOffset = params.logStartOffset;
  }
  // Descriptors are opened again when an append or a read needs them: idle partitions hold none.
  for (const segment of segments) segment.release();
  const firstBase = segments[0]!.baseOffset;
  const logStartOffset = params.logStartOffset > firstBase ? params.logStartOffset : firstBase;
  const recoveryPoint = params.hadCleanShutdown || params.recoveryPoint > logEndOffset ? logEndOffset : params.recoveryPoint;
  return { segments, logStartOffset, logEndOffset, recoveryPoint };
}

/**
 * Kafka's LogSegment.sanityCheck failing, in LogLoader's words; undefined when the offset index is
 * there and whole. As in Kafka (KAFKA-7283: start-up time with many segments), the entries of the
 * indexes below the recovery point are not read at start-up: what a crash can leave there is a
 * missing file or a partial last entry, and everything above the recovery point is rebuilt anyway.
 */
function indexFault(segment: LogSegment): string | undefined {
  const fault = segment.offsetIndex.fileFault();
  if (fault === undefined) return undefined;
  if (fault === 'it is missing') {
    return `Could not find offset index file corresponding to log file ${segment.logPath}, recovering segment and rebuilding index files...`;
  }
  return `Found a corrupted index file corresponding to log file ${segment.logPath} due to its offset index: ${fault}, recovering segment and rebuilding index files...`;
}

function reportTruncation(segment: LogSegment, recovery: SegmentRecovery, warn: (message: string) => void): void {
  if (recovery.truncatedBytes === 0) return;
  warn(
    `Found invalid messages in log segment ${segment.logPath} at byte offset ${recovery.validBytes} (${recovery.fault}): truncated ${recovery.truncatedBytes} bytes, the log of this segment now ends at offset ${segment.readNextOffset()}.`,
  );
}

/** `n segments (first.log to last.log), offsets a to b, N bytes`. */
function describeSegments(segments: readonly LogSegment[]): string {
  const first = segments[0]!;
  const last = segments.at(-1)!;
  const bytes = segments.reduce((sum, s) => sum + s.size, 0);
  const files = segments.length === 1 ? first.logPath : `${first.logPath} to ${last.logPath}`;
  return `${segments.length} segment${segments.length === 1 ? '' : 's'} (${files}), offsets ${first.baseOffset} to ${last.readNextOffset() - 1n}, ${bytes} bytes`;
}

/** Index of the segment that would hold `offset` (largest base offset <= it), or -1. */
export function floorIndex(segments: readonly { baseOffset: bigint }[], offset: bigint): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid]!.baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function deleteNow(segment: LogSegment): void {
  for (const path of segment.closeAndMarkDeleted()) unlinkSync(path);
}
