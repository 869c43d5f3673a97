import { GroupAdmin } from './group-admin.js';
import type { GroupCoordinatorConfig } from './group-coordinator-config.js';
import type { GroupLog } from './group-log.js';
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
 * `__consumer_offsets`. This broker leads every partition of that topic, so it coordinates
 * every group; `partitionFor` says which partition holds a group.
 */
export class GroupCoordinator {
  readonly membership: GroupMembership;
  readonly offsets: GroupOffsetsService;
  readonly admin: GroupAdmin;
  readonly #store: GroupStore;
  readonly #scheduler: Scheduler;
  readonly #config: GroupCoordinatorConfig;
  #cancelExpiry?: Cancel;

  constructor(options: GroupCoordinatorOptions) {
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#config = options.config;
    const onWarning = options.onWarning ?? ((message) => process.stderr.write(`[group-coordinator] ${message}\n`));
    this.#store = new GroupStore(options.log, onWarning);
    this.membership = new GroupMembership(this.#store, this.#scheduler, options.config);
    this.offsets = new GroupOffsetsService(this.#store, this.membership, this.#scheduler, options.config, options.partitionExists);
    this.admin = new GroupAdmin(this.#store, this.#scheduler);
  }

  /** Loads the groups stored in the log and starts the offset expiry timer. */
  start(): void {
    for (const group of this.#store.load(this.#scheduler.now())) this.membership.resumeLoaded(group);
    this.#scheduleExpiry();
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

  #scheduleExpiry(): void {
    this.#cancelExpiry = this.#scheduler.schedule(this.#config.retentionCheckIntervalMs, () => {
      this.offsets.expireOffsets();
      this.#scheduleExpiry();
    });
  }
}
