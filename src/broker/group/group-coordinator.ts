import { ErrorCode } from '../../protocol/errors.js';
import { GroupAdmin } from './group-admin.js';
import type { GroupCoordinatorConfig } from './group-coordinator-config.js';
import { CoordinatorUnavailableError, type GroupLog } from './group-log.js';
import { GroupMembership } from './group-membership.js';
import { GroupOffsetsService } from './group-offsets-service.js';
import { GroupStore } from './group-store.js';
import { systemScheduler, type Cancel, type Scheduler } from './scheduler.js';

export interface GroupCoordinatorOptions {
  log: GroupLog;
  config: GroupCoordinatorConfig;
  /** Commits to partitions that do not exist are refused. */
  partitionExists: (topic: string, partition: number) => boolean;
  scheduler?: Scheduler;
  /** Unreadable records met while loading; default: stderr. */
  onWarning?: (message: string) => void;
}

/**
 * The group coordinator of one broker: classic consumer groups and committed offsets, kept in
 * `__consumer_offsets`. It coordinates the groups whose partition this broker leads (a single
 * broker leads them all): their state is loaded when leadership arrives and dropped when it
 * leaves, and `coordinate` answers requests for other groups with NOT_COORDINATOR and answers a
 * request that wrote only once the partition's ISR has the write.
 */
export class GroupCoordinator {
  readonly membership: GroupMembership;
  readonly offsets: GroupOffsetsService;
  readonly admin: GroupAdmin;
  readonly #store: GroupStore;
  readonly #scheduler: Scheduler;
  readonly #config: GroupCoordinatorConfig;
  readonly #log: GroupLog;
  #cancelExpiry?: Cancel;

  constructor(options: GroupCoordinatorOptions) {
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#config = options.config;
    const onWarning = options.onWarning ?? ((message) => process.stderr.write(`[group-coordinator] ${message}\n`));
    this.#log = options.log;
    this.#store = new GroupStore(options.log, onWarning);
    this.membership = new GroupMembership(this.#store, this.#scheduler, options.config);
    this.offsets = new GroupOffsetsService(this.#store, this.membership, this.#scheduler, options.config, options.partitionExists);
    this.admin = new GroupAdmin(this.#store, this.#scheduler);
  }

  /** Loads the groups of every partition led here and starts the offset expiry timer. */
  start(): void {
    for (let partition = 0; partition < this.#log.partitionCount(); partition++) this.#load(partition);
    this.#scheduleExpiry();
  }

  /** A `__consumer_offsets` partition became led here (its groups load) or stopped being (they go). */
  onLeadershipChange(partition: number, isLeader: boolean): void {
    for (const group of this.#store.unloadPartition(partition)) this.membership.unload(group);
    if (isLeader) this.#load(partition);
  }

  /**
   * Runs a request for `groupIds` if this broker coordinates them (else `fail(NOT_COORDINATOR)`),
   * then, if it appended to their partitions, answers only once the ISR has the appends (else
   * `fail` with the write's error). An offsets topic this broker does not know is created first
   * (a single broker then leads it); in a cluster the topic may exist while this broker's metadata
   * does not show it yet (just restarted), and it must not answer from its empty store then.
   */
  async coordinate<T>(groupIds: readonly string[], run: () => T | Promise<T>, fail: (errorCode: number) => T): Promise<T> {
    if (!this.#log.exists()) {
      try {
        await this.#log.ensureExists();
      } catch (err) {
        if (!(err instanceof CoordinatorUnavailableError)) throw err;
        return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      }
    }
    const partitions = [...new Set(groupIds.map((g) => this.#store.partitionOf(g)))];
    if (partitions.some((p) => this.#log.logEndOffset(p) < 0n)) return fail(ErrorCode.NOT_COORDINATOR);
    const before = partitions.map((p) => this.#log.logEndOffset(p));
    const result = await run();
    for (const [i, p] of partitions.entries()) {
      const after = this.#log.logEndOffset(p);
      if (after <= before[i]!) continue;
      const error = await this.#log.awaitReplicated(p, after);
      if (error !== 'NONE') return fail(ErrorCode[error]);
    }
    return result;
  }

  /** A transaction marker was written to `__consumer_offsets` partition `partition`: its pending offsets settle. */
  onTxnCompleted(producerId: bigint, partition: number, commit: boolean): void {
    this.#store.completeTxn(producerId, partition, commit, this.#scheduler.now());
  }

  /** The `__consumer_offsets` partition of a group. */
  partitionFor(groupId: string): number {
    return this.#store.partitionOf(groupId);
  }

  /** Stops every timer and answers waiting JoinGroup/SyncGroup requests with NOT_COORDINATOR. */
  close(): void {
    this.#cancelExpiry?.();
    this.#cancelExpiry = undefined;
    for (const group of this.#store.groups()) this.membership.unload(group);
  }

  #load(partition: number): void {
    for (const group of this.#store.loadPartition(partition, this.#scheduler.now())) this.membership.resumeLoaded(group);
  }

  #scheduleExpiry(): void {
    this.#cancelExpiry = this.#scheduler.schedule(this.#config.retentionCheckIntervalMs, () => {
      this.offsets.expireOffsets();
      this.#scheduleExpiry();
    });
  }
}
