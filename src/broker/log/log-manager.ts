import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type CheckpointEntry, readOffsetCheckpoint, writeOffsetCheckpoint } from './checkpoint-file.js';
import { LogCleaner } from './cleaner/log-cleaner.js';
import { fsyncDir } from './file-io.js';
import { DEFAULT_LOG_CONFIG, LONG_MAX, type LogConfig } from './log-config.js';
import { LogError } from './log-error.js';
import {
  CLEAN_SHUTDOWN_MARKER,
  DELETE_DIR_SUFFIX,
  FUTURE_DIR_SUFFIX,
  LOG_START_OFFSET_CHECKPOINT,
  RECOVERY_POINT_CHECKPOINT,
  deleteDirName,
  futureDirName,
  parseFutureDir,
  parseTopicPartitionDir,
  topicPartitionKey,
  type TopicPartition,
} from './log-file-names.js';
import { Log, type LogOptions } from './log.js';
import { ensureMetaProperties } from './meta-properties.js';
import { isDescriptorShortage, isFileSystemError, storageError } from './storage-error.js';

export interface LogManagerOptions {
  /** log.dirs: each gets meta.properties, checkpoints and partition directories. */
  logDirs: readonly string[];
  brokerId: number;
  /** From ZooKeeper; when absent the stored one is kept, or a new one made. */
  clusterId?: string;
  /** Config of a topic's logs when they are loaded at start-up; default DEFAULT_LOG_CONFIG. */
  configFor?: (topic: string) => LogConfig;
  /** log.retention.check.interval.ms */
  retentionCheckIntervalMs?: number;
  /** log.flush.offset.checkpoint.interval.ms */
  recoveryPointCheckpointIntervalMs?: number;
  /** log.flush.start.offset.checkpoint.interval.ms */
  logStartOffsetCheckpointIntervalMs?: number;
  /** log.flush.scheduler.interval.ms: how often flush.ms is checked; Kafka's default never. */
  flushCheckIntervalMs?: number;
  /** producer.id.expiration.ms (read at each check: it is dynamic) and producer.id.expiration.check.interval.ms; absent: never checked. */
  producerIdExpiration?: { expirationMs: () => number; checkIntervalMs: number };
  /** log.cleaner.*: compaction of logs whose cleanup.policy has `compact`; default Kafka's (on, 15 s, 128 MiB). */
  cleaner?: LogCleanerSettings;
  now?: () => number;
  /** Failures of timer-driven work (retention, checkpoints, background deletes); default: stderr. */
  onError?: (err: Error) => void;
  /** What recovery changed in the files at start-up (truncations, deletions, rebuilt indexes); default: stderr. */
  warn?: (message: string) => void;
  /**
   * A log dir went offline (its error, naming the operation and the file, went to onError): its
   * logs answer KAFKA_STORAGE_ERROR from now on. `live` is how many log dirs are left.
   */
  onLogDirFailure?: (dir: string, live: number) => void;
}

export interface LogCleanerSettings {
  /** log.cleaner.enable */
  enable: boolean;
  /** log.cleaner.backoff.ms */
  backoffMs: number;
  /** log.cleaner.dedupe.buffer.size */
  dedupeBufferSize: number;
}

const DEFAULT_CLEANER: LogCleanerSettings = { enable: true, backoffMs: 15_000, dedupeBufferSize: 128 * 1024 * 1024 };

/**
 * How soon after a flush moved a recovery point its dir's recovery-point-offset-checkpoint is
 * rewritten (one write for every flush in that time).
 */
const FLUSHED_CHECKPOINT_DELAY_MS = 1000;

/**
 * All partition logs of a broker (Kafka's LogManager): loads the log dirs, places new partitions
 * in the dir holding the fewest, deletes logs asynchronously, and runs retention, flush.ms,
 * checkpoint and producer-expiry timers and the log cleaner. A clean close() leaves `.kafka_cleanshutdown` so the next
 * start skips recovery. A partition moving to another log dir (AlterReplicaLogDirs) has a future
 * log there besides its current one until the future log replaces it.
 */
export class LogManager {
  readonly clusterId: string;
  readonly logDirs: readonly string[];
  readonly #logs = new Map<string, Log>();
  /** Partitions being moved to another log dir: their future logs, `<topic>-<partition>.<uuid>-future` (KIP-113). */
  readonly #futureLogs = new Map<string, Log>();
  /** Where partitions not hosted yet are to be created (AlterReplicaLogDirs before the replica exists). */
  readonly #preferredLogDirs = new Map<string, string>();
  /** How many logs each dir holds: new partitions go to the dir holding the fewest. */
  readonly #logsPerDir = new Map<string, number>();
  readonly #deletions = new Set<Promise<void>>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #now: () => number;
  readonly #onError: (err: Error) => void;
  readonly #warn: (message: string) => void;
  readonly #cleaner: LogCleaner | undefined;
  /** Log dirs that failed (Kafka's LogDirFailureChannel), with the error that took them offline. */
  readonly #offlineDirs = new Map<string, LogError>();
  readonly #onLogDirFailure: (dir: string, live: number) => void;
  /** Log dirs whose recovery points moved since their checkpoint was last written, and the timer that will write it. */
  readonly #flushedDirs = new Set<string>();
  #flushedTimer: NodeJS.Timeout | undefined;
  /** Log dirs that got partition dirs in this run of synchronous work, each fsynced once when it ends (see #createLog). */
  readonly #dirsToSync = new Set<string>();
  #closed = false;
  /**
   * Set by the replica manager: a partition's last stable offset (its high watermark, or the first
   * unsettled transaction below it), which the cleaner never passes. Unset, a log is cleanable up
   * to its first open transaction.
   */
  lastStableOffsetOf: ((log: Log) => bigint | undefined) | undefined;

  private constructor(options: LogManagerOptions) {
    this.logDirs = options.logDirs.map((dir) => resolve(dir));
    if (this.logDirs.length === 0) throw new LogError('INVALID_CONFIG', 'log.dirs must name at least one directory');
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? ((err) => process.stderr.write(`[log-manager] ${err.message}\n`));
    this.#warn = options.warn ?? ((message) => process.stderr.write(`[log-manager] ${message}\n`));
    this.#onLogDirFailure = options.onLogDirFailure ?? (() => {});
    this.clusterId = ensureMetaProperties(this.logDirs, options.brokerId, options.clusterId);
    for (const dir of this.logDirs) {
      try {
        this.#loadDir(dir, options.configFor ?? (() => DEFAULT_LOG_CONFIG));
      } catch (err) {
        if (!isFileSystemError(err)) throw err;
        this.#failDir(dir, storageError(`loading log dir ${dir}`, dir, err));
      }
    }
    this.#completeInterruptedSwaps();
    this.#every(options.retentionCheckIntervalMs ?? 300_000, () => this.cleanupLogs());
    this.#every(options.recoveryPointCheckpointIntervalMs ?? 60_000, () => this.checkpointRecoveryPoints());
    this.#every(options.logStartOffsetCheckpointIntervalMs ?? 60_000, () => this.checkpointLogStartOffsets());
    this.#every(options.flushCheckIntervalMs ?? LONG_MAX, () => this.flushDirtyLogs());
    const expiration = options.producerIdExpiration;
    if (expiration) this.#every(expiration.checkIntervalMs, () => this.removeExpiredProducers(expiration.expirationMs()));
    const cleaner = options.cleaner ?? DEFAULT_CLEANER;
    if (cleaner.enable) {
      this.#cleaner = new LogCleaner({
        logDirs: this.logDirs,
        logs: () => this.#liveLogs(),
        lastStableOffset: (log) => this.lastStableOffsetOf?.(log) ?? log.firstUnstableOffset(log.logEndOffset) ?? log.logEndOffset,
        backoffMs: cleaner.backoffMs,
        dedupeBufferSize: cleaner.dedupeBufferSize,
        now: this.#now,
        onError: this.#onError,
      });
      this.#cleaner.start();
    }
  }

  static open(options: LogManagerOptions): LogManager {
    return new LogManager(options);
  }

  getLog(tp: TopicPartition): Log | undefined {
    return this.#logs.get(topicPartitionKey(tp));
  }

  /** Undefined with log.cleaner.enable=false. */
  get cleaner(): LogCleaner | undefined {
    return this.#cleaner;
  }

  get logs(): Log[] {
    return [...this.#logs.values()];
  }

  /** The future log of a partition being moved to another log dir, if any. */
  getFutureLog(tp: TopicPartition): Log | undefined {
    return this.#futureLogs.get(topicPartitionKey(tp));
  }

  get futureLogs(): Log[] {
    return [...this.#futureLogs.values()];
  }

  /**
   * Kafka's maybeUpdatePreferredLogDir: a replica of `tp` created later goes to `logDir` (if it is
   * live then), not to the least loaded dir.
   */
  setPreferredLogDir(tp: TopicPartition, logDir: string): void {
    this.#preferredLogDirs.set(topicPartitionKey(tp), logDir);
  }

  /** The log dir a log lives in. */
  logDirOf(log: Log): string {
    return dirname(log.dir);
  }

  /** Whether `dir` failed and went offline. */
  isOffline(dir: string): boolean {
    return this.#offlineDirs.has(dir);
  }

  /**
   * Runs `work` on files of `logDir` (a partition's metadata file); a file system failure takes the
   * dir offline, as one inside a log would (running out of descriptors only gets reported), and is
   * thrown as KAFKA_STORAGE_ERROR.
   */
  io<T>(logDir: string, doing: string, work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (!isFileSystemError(err)) throw err;
      const error = storageError(doing, logDir, err);
      if (isDescriptorShortage(error)) this.#onError(error);
      else this.#failDir(logDir, error);
      throw error;
    }
  }

  /** The partition's log, created empty in the log dir with the fewest partitions if it does not exist. */
  getOrCreateLog(tp: TopicPartition, config: LogConfig): Log {
    this.#ensureOpen();
    const key = topicPartitionKey(tp);
    const existing = this.#logs.get(key);
    if (existing) return existing;
    const parsed = parseTopicPartitionDir(key);
    if (parsed?.topic !== tp.topic || parsed.partition !== tp.partition) {
      throw new LogError('INVALID_TOPIC_EXCEPTION', `Invalid topic partition for a log directory: ${key}`);
    }
    const preferred = this.#preferredLogDirs.get(key);
    const logDir = preferred !== undefined && !this.isOffline(preferred) ? preferred : this.#leastLoadedDir();
    const log = this.#createLog(tp, config, logDir, key, `creating the log of ${key}`);
    this.#preferredLogDirs.delete(key);
    this.#addLog(this.#logs, key, log);
    return log;
  }

  /**
   * Creates the empty future log of a partition in `logDir` (Kafka's getOrCreateLog with
   * isFuture), to be filled from the current log and then to replace it.
   */
  createFutureLog(tp: TopicPartition, config: LogConfig, logDir: string): Log {
    this.#ensureOpen();
    const key = topicPartitionKey(tp);
    if (this.#futureLogs.has(key)) throw new LogError('KAFKA_STORAGE_ERROR', `The future log of ${key} exists already`);
    const log = this.#createLog(tp, config, logDir, futureDirName(tp), `creating the future log of ${key}`);
    this.#addLog(this.#futureLogs, key, log);
    return log;
  }

  #createLog(tp: TopicPartition, config: LogConfig, logDir: string, name: string, doing: string): Log {
    const dir = join(logDir, name);
    return this.io(logDir, doing, () => {
      try {
        mkdirSync(dir);
        this.#syncWhenDone(logDir);
        return Log.open({ dir, topicPartition: tp, config, hadCleanShutdown: true, ...this.#logCallbacks(logDir) });
      } catch (err) {
        // Nothing half made is left behind (a full disk, no descriptors left).
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    });
  }

  /**
   * The future log caught up with the current one: it takes its place (Kafka's
   * replaceCurrentWithFutureLog). Synchronous, so no append or read sees a half-done swap. The
   * current log's dir is renamed `-delete` first and removed in the background, then the future
   * dir gets the partition's name: a crash in between leaves only the future dir, which the next
   * start completes. Returns the log now current.
   */
  replaceCurrentWithFutureLog(tp: TopicPartition): Log {
    this.#ensureOpen();
    const key = topicPartitionKey(tp);
    const current = this.#logs.get(key);
    const future = this.#futureLogs.get(key);
    if (!current || current.offline) throw new LogError('KAFKA_STORAGE_ERROR', `The current replica for ${key} is offline`);
    if (!future || future.offline) throw new LogError('KAFKA_STORAGE_ERROR', `The future replica for ${key} is offline`);
    // On disk before the only other copy goes.
    future.flush();
    this.#cleaner?.forget(tp);
    this.#removeLog(this.#logs, key, current);
    this.#retire(current);
    const log = this.#promote(key, future);
    for (const dir of new Set([this.logDirOf(current), this.logDirOf(log)])) {
      this.writeCheckpoint(dir, RECOVERY_POINT_CHECKPOINT, (l) => l.recoveryPoint);
      this.writeCheckpoint(dir, LOG_START_OFFSET_CHECKPOINT, (l) => l.logStartOffset);
    }
    return log;
  }

  /** The future log renamed to the partition's own name and opened there as its current log. */
  #promote(key: string, future: Log): Log {
    const logDir = this.logDirOf(future);
    this.#removeLog(this.#futureLogs, key, future);
    future.close();
    const dir = join(logDir, key);
    const log = this.io(logDir, `replacing the current log of ${key} with its future log`, () => {
      renameSync(future.dir, dir);
      fsyncDir(logDir);
      return Log.open({
        dir,
        topicPartition: future.topicPartition,
        config: future.config,
        logStartOffset: future.logStartOffset,
        recoveryPoint: future.recoveryPoint,
        hadCleanShutdown: true,
        ...this.#logCallbacks(logDir),
      });
    });
    this.#addLog(this.#logs, key, log);
    return log;
  }

  /**
   * Drops the future log of a partition (a move cancelled or failed, the partition deleted): closed,
   * renamed `-delete` and removed in the background. Returns false when there was none.
   */
  deleteFutureLog(tp: TopicPartition): boolean {
    const key = topicPartitionKey(tp);
    const log = this.#futureLogs.get(key);
    if (!log) return false;
    this.#removeLog(this.#futureLogs, key, log);
    this.#retire(log);
    return true;
  }

  /** Applies changed topic configs (AlterConfigs) to every log of the topic at once. */
  updateTopicConfig(topic: string, config: LogConfig): void {
    for (const log of this.#logs.values()) if (log.topicPartition.topic === topic) log.config = config;
  }

  /**
   * Removes a partition's log: closed at once (reads from then on fail with LOG_CLOSED), its
   * directory renamed to `<topic>-<partition>.<uuid>-delete` and removed in the background.
   * Returns false when there was no such log.
   */
  deleteLog(tp: TopicPartition): boolean {
    const key = topicPartitionKey(tp);
    // The future log first: one left alone at start-up would be taken for an interrupted swap.
    this.deleteFutureLog(tp);
    const log = this.#logs.get(key);
    if (!log) return false;
    this.#removeLog(this.#logs, key, log);
    this.#cleaner?.forget(tp);
    this.#retire(log);
    return true;
  }

  /** Closes a log no longer in the maps, renames its dir `-delete` and removes it once its background work settled. */
  #retire(log: Log): void {
    if (!log.offline) log.close();
    const logDir = dirname(log.dir);
    if (this.isOffline(logDir)) return;
    const renamed = join(logDir, deleteDirName(log.topicPartition));
    this.io(logDir, `deleting the log of ${log.name}`, () => {
      renameSync(log.dir, renamed);
      fsyncDir(logDir);
    });
    this.#track(log.settled().then(() => rm(renamed, { recursive: true, force: true })));
  }

  /**
   * Removes a log created moments ago, at once and for good (a topic whose creation failed part
   * way): no rename, no background removal, nothing left on disk. Failures are reported, not thrown.
   */
  discardLog(tp: TopicPartition): void {
    const key = topicPartitionKey(tp);
    const log = this.#logs.get(key);
    if (!log) return;
    this.#removeLog(this.#logs, key, log);
    this.#cleaner?.forget(tp);
    this.#attempt(() => {
      if (!log.offline) log.close();
      rmSync(log.dir, { recursive: true, force: true });
    });
  }

  /** One retention pass over every log (the log.retention.check.interval.ms timer runs this). */
  cleanupLogs(): number {
    let deleted = 0;
    for (const log of this.#liveLogs()) {
      this.#attempt(() => {
        deleted += log.deleteOldSegments();
      });
    }
    return deleted;
  }

  /** Forgets, in every log, the producers idle longer than `expirationMs` with no open transaction; returns how many. */
  removeExpiredProducers(expirationMs: number): number {
    const now = this.#now();
    let removed = 0;
    for (const log of this.#liveLogs()) removed += log.producerState.removeExpiredProducers(now, expirationMs);
    return removed;
  }

  /** fsyncs the logs whose flush.ms has passed since their last flush. */
  flushDirtyLogs(): void {
    const now = this.#now();
    for (const log of this.#liveLogs()) {
      if (now - log.lastFlushTime >= log.config['flush.ms']) this.#attempt(() => log.flush());
    }
  }

  checkpointRecoveryPoints(): void {
    for (const dir of this.logDirs) this.writeCheckpoint(dir, RECOVERY_POINT_CHECKPOINT, (log) => log.recoveryPoint);
  }

  checkpointLogStartOffsets(): void {
    for (const dir of this.logDirs) this.writeCheckpoint(dir, LOG_START_OFFSET_CHECKPOINT, (log) => log.logStartOffset);
  }

  /**
   * Stops the timers, fsyncs and closes every log, writes the checkpoints and, in each dir where
   * all of that worked, the clean-shutdown marker; then waits for background deletions.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    clearTimeout(this.#flushedTimer);
    this.#cleaner?.close();
    const failedDirs = new Set<string>();
    const all = this.#allLogs();
    for (const log of all.filter((l) => !l.offline)) {
      if (!this.#attempt(() => log.flush())) failedDirs.add(this.logDirOf(log));
    }
    this.checkpointRecoveryPoints();
    this.checkpointLogStartOffsets();
    for (const log of all) {
      if (!this.#attempt(() => log.close())) failedDirs.add(this.logDirOf(log));
    }
    for (const dir of this.logDirs) {
      if (!failedDirs.has(dir) && !this.isOffline(dir)) this.#attempt(() => writeFileSync(join(dir, CLEAN_SHUTDOWN_MARKER), ''));
    }
    await Promise.all(all.map((log) => log.settled()));
    while (this.#deletions.size > 0) await Promise.all(this.#deletions);
    this.#logs.clear();
    this.#futureLogs.clear();
  }

  #loadDir(dir: string, configFor: (topic: string) => LogConfig): void {
    const marker = join(dir, CLEAN_SHUTDOWN_MARKER);
    const hadCleanShutdown = existsSync(marker);
    const recoveryPoints = this.#readCheckpoint(join(dir, RECOVERY_POINT_CHECKPOINT));
    const logStartOffsets = this.#readCheckpoint(join(dir, LOG_START_OFFSET_CHECKPOINT));
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (entry.name.endsWith(DELETE_DIR_SUFFIX)) {
        this.#track(rm(path, { recursive: true, force: true }));
        continue;
      }
      const isFuture = entry.name.endsWith(FUTURE_DIR_SUFFIX);
      const tp = isFuture ? parseFutureDir(entry.name) : parseTopicPartitionDir(entry.name);
      if (!tp) continue;
      const key = topicPartitionKey(tp);
      const logs = isFuture ? this.#futureLogs : this.#logs;
      const other = logs.get(key);
      if (other) {
        throw new LogError(
          'KAFKA_STORAGE_ERROR',
          isFuture
            ? `Duplicate log directories found: ${path}, ${other.dir}`
            : `Duplicate log directories for ${key} are found in both ${other.dir} and ${path}`,
        );
      }
      const log = Log.open({
        dir: path,
        topicPartition: tp,
        config: configFor(tp.topic),
        logStartOffset: logStartOffsets.get(key),
        recoveryPoint: recoveryPoints.get(key),
        hadCleanShutdown,
        ...this.#logCallbacks(dir),
      });
      this.#addLog(logs, key, log);
    }
    // From here on a crash must not look clean.
    if (hadCleanShutdown) unlinkSync(marker);
  }

  /**
   * A future log without a current one is a swap a crash interrupted after the current log was
   * renamed for deletion (see replaceCurrentWithFutureLog): it is the partition's log now. Not
   * while a log dir is offline, which may hold the current log.
   */
  #completeInterruptedSwaps(): void {
    if (this.#offlineDirs.size > 0) return;
    for (const [key, future] of [...this.#futureLogs]) {
      if (this.#logs.has(key)) continue;
      this.#warn(`Completing the move of ${key} to ${this.logDirOf(future)}: its old log was already renamed for deletion`);
      this.#promote(key, future);
    }
  }

  /** As Kafka: an unreadable checkpoint resets to "unknown" (full recovery, start from the first segment). */
  #readCheckpoint(path: string): Map<string, bigint> {
    try {
      return readOffsetCheckpoint(path);
    } catch (err) {
      this.#onError(err as Error);
      return new Map();
    }
  }

  /**
   * Writes the offset checkpoint `file` of `dir`: an entry per log there that `offsetOf` gives an
   * offset. Nothing in an offline dir; Kafka takes a dir offline when its checkpoint cannot be
   * written, and so does this (reported, not thrown: the caller is a timer or a shutdown).
   */
  writeCheckpoint(dir: string, file: string, offsetOf: (log: Log) => bigint | undefined): void {
    if (this.isOffline(dir)) return;
    const entries: CheckpointEntry[] = [];
    for (const log of this.#allLogs()) {
      const offset = this.logDirOf(log) === dir ? offsetOf(log) : undefined;
      if (offset !== undefined) entries.push({ ...log.topicPartition, offset });
    }
    try {
      this.io(dir, `writing ${file}`, () => writeOffsetCheckpoint(join(dir, file), entries));
    } catch (err) {
      // io reported a file system failure already.
      if (!(err instanceof LogError && isFileSystemError(err.cause))) this.#onError(err as Error);
    }
  }

  #liveLogs(): Log[] {
    return [...this.#logs.values()].filter((log) => !log.offline);
  }

  /** Current and future logs. */
  #allLogs(): Log[] {
    return [...this.#logs.values(), ...this.#futureLogs.values()];
  }

  /**
   * Takes a failing log dir offline (Kafka's LogDirFailureChannel + handleLogDirFailure): one error
   * line naming the operation, the file and the reason; its logs closed, answering
   * KAFKA_STORAGE_ERROR from now on; no more checkpoints, retention, flushes or cleaning there.
   */
  #failDir(dir: string, error: LogError): void {
    if (this.#offlineDirs.has(dir)) return;
    this.#offlineDirs.set(dir, error);
    this.#onError(error);
    for (const log of this.#allLogs()) if (this.logDirOf(log) === dir) log.markOffline(dir);
    this.#onLogDirFailure(dir, this.logDirs.length - this.#offlineDirs.size);
  }

  /** What each log of `logDir` reports to the manager. */
  #logCallbacks(logDir: string): Pick<LogOptions, 'now' | 'onError' | 'warn' | 'onFlushed' | 'onStorageFailure'> {
    return {
      now: this.#now,
      onError: this.#onError,
      warn: this.#warn,
      onFlushed: () => this.#onFlushed(logDir),
      onStorageFailure: (error) => this.#failDir(logDir, error),
    };
  }

  /**
   * A flush moved a recovery point: its checkpoint is rewritten within a second, besides Kafka's
   * log.flush.offset.checkpoint.interval.ms, so that a crash soon after a segment roll does not
   * re-validate (or, if corrupt, drop) segments that were already safely on disk.
   */
  #onFlushed(logDir: string): void {
    if (this.#closed) return;
    this.#flushedDirs.add(logDir);
    this.#flushedTimer ??= setTimeout(() => {
      this.#flushedTimer = undefined;
      for (const dir of this.#flushedDirs) this.writeCheckpoint(dir, RECOVERY_POINT_CHECKPOINT, (log) => log.recoveryPoint);
      this.#flushedDirs.clear();
    }, FLUSHED_CHECKPOINT_DELAY_MS).unref();
  }

  /**
   * A new partition dir's entry in `logDir` is made durable by an fsync of `logDir` once the
   * synchronous work that made it is over (a microtask): a topic's partitions, or a LeaderAndIsr
   * request's, are made in one go, and one fsync per log dir then covers them all, where one per
   * partition made creating partitions wait on the disk once more for each. Kafka does not sync
   * the log dir here at all. A failure takes the dir offline as any other.
   */
  #syncWhenDone(logDir: string): void {
    if (this.#dirsToSync.size === 0) {
      queueMicrotask(() => {
        for (const dir of this.#dirsToSync) {
          if (this.isOffline(dir)) continue;
          try {
            this.io(dir, 'syncing the new partition directories', () => fsyncDir(dir));
          } catch (err) {
            // io reported a file system failure already.
            if (!(err instanceof LogError && isFileSystemError(err.cause))) this.#onError(err as Error);
          }
        }
        this.#dirsToSync.clear();
      });
    }
    this.#dirsToSync.add(logDir);
  }

  /** The live log dir holding the fewest partitions. */
  #leastLoadedDir(): string {
    const live = this.logDirs.filter((dir) => !this.isOffline(dir));
    if (live.length === 0) throw new LogError('KAFKA_STORAGE_ERROR', `No log directories available. Tried ${this.logDirs.join(', ')}`);
    const count = (dir: string) => this.#logsPerDir.get(dir) ?? 0;
    return live.reduce((best, dir) => (count(dir) < count(best) ? dir : best));
  }

  /** Keeps the maps of logs and the per-dir counts placement goes by in step. */
  #addLog(logs: Map<string, Log>, key: string, log: Log): void {
    logs.set(key, log);
    const dir = this.logDirOf(log);
    this.#logsPerDir.set(dir, (this.#logsPerDir.get(dir) ?? 0) + 1);
  }

  #removeLog(logs: Map<string, Log>, key: string, log: Log): void {
    logs.delete(key);
    const dir = this.logDirOf(log);
    this.#logsPerDir.set(dir, (this.#logsPerDir.get(dir) ?? 1) - 1);
  }

  #every(intervalMs: number, work: () => void): void {
    if (intervalMs >= LONG_MAX || intervalMs <= 0) return;
    const timer = setInterval(() => this.#attempt(work), Math.min(intervalMs, 0x7fffffff));
    timer.unref();
    this.#timers.push(timer);
  }

  /** Runs `work`, reporting a failure instead of throwing it (a file system failure was reported where it happened); false on failure. */
  #attempt(work: () => void): boolean {
    try {
      work();
      return true;
    } catch (err) {
      if (!(err instanceof LogError && isFileSystemError(err.cause))) this.#onError(err instanceof Error ? err : new Error(String(err)));
      return false;
    }
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => this.#onError(err instanceof Error ? err : new Error(String(err))));
    this.#deletions.add(tracked);
    void tracked.finally(() => this.#deletions.delete(tracked));
  }

  #ensureOpen(): void {
    if (this.#closed) throw new LogError('LOG_CLOSED', 'The log manager is closed');
  }
}
