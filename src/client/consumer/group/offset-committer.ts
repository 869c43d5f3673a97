import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../../protocol/errors.js';
import type { TopicPartition } from '../partition-fetcher.js';
import type { CoordinatorLink } from './coordinator-link.js';
import { GroupError } from './group-errors.js';
import type { MemberIdentity } from './join-sync.js';
import { commitOffsets, type CommitPosition } from './offset-commit.js';
import { RetryBackoff } from './retry-backoff.js';

export interface CommitterConfig {
  autoCommit: boolean;
  autoCommitIntervalMs: number;
  requestTimeoutMs: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  log(line: string): void;
}

/** Commit errors that end the member; others only mean these positions were not committed. */
const FATAL_COMMIT_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.GROUP_AUTHORIZATION_FAILED,
  ErrorCode.TOPIC_AUTHORIZATION_FAILED,
  ErrorCode.FENCED_INSTANCE_ID,
]);

function key(topic: string, partition: number): string {
  return `${topic}\0${partition}`;
}

/**
 * The offsets side of a member: the position of each partition it reads (after what was
 * consumed) and the offset last committed for it. Commits the positions that moved: synchronously
 * (before a rebalance, on close; retried on coordinator errors within request.timeout.ms) or, with
 * enable.auto.commit, every auto.commit.interval.ms while started.
 */
export class OffsetCommitter {
  private readonly positions = new Map<string, CommitPosition>();
  private readonly committed = new Map<string, bigint>();
  private timer: NodeJS.Timeout | undefined;
  /** Counts starts and stops of auto-commit, as the heartbeat loop does. */
  private run = 0;
  private committing = false;

  constructor(
    private readonly link: CoordinatorLink,
    private readonly member: MemberIdentity,
    private readonly config: CommitterConfig,
    /** An auto-commit error that concerns the membership (the coordinator moved, a rebalance, a fatal error). */
    private readonly autoCommitFailed: (error: Error) => void,
  ) {}

  /** Tracks newly assigned partitions from their start positions; `committed`: the group's offsets among them. */
  track(starts: readonly CommitPosition[], committed: readonly CommitPosition[]): void {
    this.committed.clear();
    for (const p of committed) this.committed.set(key(p.topic, p.partition), p.offset);
    for (const p of starts) this.positions.set(key(p.topic, p.partition), { ...p });
  }

  /** The partition's position, while it is tracked (mutable: the reader moves it). */
  position({ topic, partition }: TopicPartition): CommitPosition | undefined {
    return this.positions.get(key(topic, partition));
  }

  /** The positions of every tracked partition (still tracked). */
  owned(): CommitPosition[] {
    return [...this.positions.values()];
  }

  /** Stops tracking every partition; returns their positions. */
  release(): CommitPosition[] {
    const all = [...this.positions.values()];
    this.positions.clear();
    return all;
  }

  /**
   * Commits the positions that moved since their last commit; resolves to the error it gave up on,
   * or null once committed. Throws only errors that end the member.
   */
  async commitSync(positions: readonly CommitPosition[], when: string): Promise<GroupError | null> {
    const moved = this.moved(positions);
    if (moved.length === 0) return null;
    const deadline = Date.now() + this.config.requestTimeoutMs;
    const backoff = new RetryBackoff(this.config.retryBackoffMs, this.config.retryBackoffMaxMs);
    for (;;) {
      const error = await this.commit(moved);
      if (error === null) return null;
      this.config.log(`committing offsets ${when} failed: ${error.message}`);
      if (FATAL_COMMIT_ERRORS.has(error.code!)) throw error;
      if ((error.action !== 'find-coordinator' && error.action !== 'retry') || Date.now() >= deadline) return error;
      if (error.action === 'find-coordinator') this.link.markUnknown(error.message);
      await sleep(backoff.next(), undefined, { ref: false });
    }
  }

  /** enable.auto.commit: from now on, every auto.commit.interval.ms. */
  startAutoCommit(): void {
    this.stopAutoCommit();
    if (this.config.autoCommit) this.schedule();
  }

  stopAutoCommit(): void {
    this.run++;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    const run = this.run;
    this.timer = setTimeout(() => void this.autoCommit(run), this.config.autoCommitIntervalMs);
  }

  private async autoCommit(run: number): Promise<void> {
    const moved = this.moved([...this.positions.values()]);
    if (!this.committing && moved.length > 0) {
      this.committing = true;
      try {
        const error = await this.commit(moved);
        if (error !== null) this.config.log(`auto-commit failed: ${error.message}`);
        // Stopped meanwhile: a rebalance or close has taken over.
        const concerns = error !== null && run === this.run && (error.action !== 'fatal' || FATAL_COMMIT_ERRORS.has(error.code!));
        if (concerns) this.autoCommitFailed(error);
      } catch (err) {
        if (run === this.run) this.autoCommitFailed(err as Error);
      } finally {
        this.committing = false;
      }
    }
    if (run === this.run) this.schedule();
  }

  private moved(positions: readonly CommitPosition[]): CommitPosition[] {
    return positions.filter((p) => this.committed.get(key(p.topic, p.partition)) !== p.offset);
  }

  /** One OffsetCommit; null when every partition was committed, else the first error. */
  private async commit(positions: readonly CommitPosition[]): Promise<GroupError | null> {
    try {
      let error: GroupError | null = null;
      for (const r of await commitOffsets(this.link, this.member, positions)) {
        if (r.errorCode === ErrorCode.NONE) this.committed.set(key(r.topic, r.partition), r.offset);
        else error ??= new GroupError(r.errorCode, this.member.groupId, 'OffsetCommit');
      }
      return error;
    } catch (err) {
      if (err instanceof GroupError) return err;
      throw err;
    }
  }
}
