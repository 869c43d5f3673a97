import { dirname, join } from 'node:path';
import { readOffsetCheckpoint, writeOffsetCheckpoint } from '../checkpoint-file.js';
import { isCompacted } from '../log-config.js';
import { CLEANER_OFFSET_CHECKPOINT, topicPartitionKey, type TopicPartition } from '../log-file-names.js';
import type { Log } from '../log.js';
import { cleanLog, type CleanResult } from './clean-log.js';
import { logToClean, type LogToClean } from './cleanable-range.js';

export interface LogCleanerOptions {
  /** log.dirs, each with its own cleaner-offset-checkpoint. */
  logDirs: readonly string[];
  /** The logs to consider on each pass (the LogManager's). */
  logs: () => Iterable<Log>;
  /** A log's last stable offset: nothing from there on is cleaned. */
  lastStableOffset: (log: Log) => bigint;
  /** log.cleaner.backoff.ms: the pause when no log needs cleaning. */
  backoffMs: number;
  /** log.cleaner.dedupe.buffer.size */
  dedupeBufferSize: number;
  now: () => number;
  onError: (err: Error) => void;
}

/**
 * Kafka's LogCleaner + LogCleanerManager for the logs of one broker, on the event loop instead of
 * cleaner threads: each pass cleans the log with the highest dirty ratio among those that qualify
 * (ratio above min.cleanable.dirty.ratio, or max.compaction.lag.ms passed with something to clean,
 * or a tombstone delete horizon passed), then the next pass follows at once; with nothing to do it
 * waits log.cleaner.backoff.ms. Where each log's clean section ends is kept in
 * cleaner-offset-checkpoint. A log whose cleaning fails is reported and skipped until restart
 * (Kafka's uncleanable partitions).
 */
export class LogCleaner {
  readonly #options: LogCleanerOptions;
  /** First dirty offset per `<topic>-<partition>`. */
  readonly #dirtyOffsets = new Map<string, bigint>();
  /** Earliest pending tombstone delete horizon per log: the log is cleaned again once it passes. */
  readonly #horizons = new Map<string, number>();
  readonly #uncleanable = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: LogCleanerOptions) {
    this.#options = options;
    for (const dir of options.logDirs) {
      try {
        for (const [key, offset] of readOffsetCheckpoint(join(dir, CLEANER_OFFSET_CHECKPOINT))) this.#dirtyOffsets.set(key, offset);
      } catch (err) {
        // As Kafka: an unreadable checkpoint means every log is cleaned from its start again.
        options.onError(err as Error);
      }
    }
  }

  /** Starts the background passes. */
  start(): void {
    this.#schedule(this.#options.backoffMs);
  }

  /** What the next pass would consider cleaning in `log` (undefined when it is not compacted). */
  logToClean(log: Log): LogToClean | undefined {
    if (log.closed || !isCompacted(log.config)) return undefined;
    return logToClean(
      {
        segments: log.segments,
        logStartOffset: log.logStartOffset,
        logEndOffset: log.logEndOffset,
        checkpointedDirtyOffset: this.#dirtyOffsets.get(log.name),
        lastStableOffset: this.#options.lastStableOffset(log),
      },
      log.config,
      this.#options.now(),
    );
  }

  /** One pass (Kafka's cleanFilthiestLog): cleans the log that needs it most. Returns it, if any. */
  cleanFilthiestLog(): Log | undefined {
    const now = this.#options.now();
    let filthiest: { log: Log; toClean: LogToClean } | undefined;
    for (const log of this.#options.logs()) {
      if (this.#uncleanable.has(log.name)) continue;
      const toClean = this.logToClean(log);
      if (!toClean || !this.#qualifies(log, toClean, now)) continue;
      if (!filthiest || toClean.cleanableRatio > filthiest.toClean.cleanableRatio) filthiest = { log, toClean };
    }
    if (!filthiest) return undefined;
    const { log, toClean } = filthiest;
    let result: CleanResult;
    try {
      result = cleanLog(log, toClean, { now, dedupeBufferBytes: this.#options.dedupeBufferSize });
    } catch (err) {
      this.#uncleanable.add(log.name);
      this.#options.onError(new Error(`Cannot clean ${log.name}, skipping it until restart: ${(err as Error).message}`));
      return undefined;
    }
    this.#dirtyOffsets.set(log.name, result.nextDirtyOffset);
    if (result.tombstoneHorizon === undefined) this.#horizons.delete(log.name);
    else this.#horizons.set(log.name, result.tombstoneHorizon);
    this.#checkpoint(dirname(log.dir));
    return log;
  }

  /** A deleted log: its cleaning state goes with it. */
  forget(tp: TopicPartition): void {
    const key = topicPartitionKey(tp);
    this.#dirtyOffsets.delete(key);
    this.#horizons.delete(key);
    this.#uncleanable.delete(key);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #qualifies(log: Log, toClean: LogToClean, now: number): boolean {
    return (
      (toClean.needCompactionNow && toClean.cleanableBytes > 0) ||
      toClean.cleanableRatio > log.config['min.cleanable.dirty.ratio'] ||
      (this.#horizons.get(log.name) ?? Infinity) <= now
    );
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(
      () => {
        let cleaned: Log | undefined;
        try {
          cleaned = this.cleanFilthiestLog();
        } catch (err) {
          this.#options.onError(err instanceof Error ? err : new Error(String(err)));
        }
        this.#schedule(cleaned ? 0 : this.#options.backoffMs);
      },
      Math.min(delayMs, 0x7fffffff),
    );
    this.#timer.unref();
  }

  #checkpoint(dir: string): void {
    const entries = [...this.#options.logs()]
      .filter((log) => dirname(log.dir) === dir && this.#dirtyOffsets.has(log.name))
      .map((log) => ({ ...log.topicPartition, offset: this.#dirtyOffsets.get(log.name)! }));
    writeOffsetCheckpoint(join(dir, CLEANER_OFFSET_CHECKPOINT), entries);
  }
}
