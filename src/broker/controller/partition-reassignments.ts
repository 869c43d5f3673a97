import { ErrorCode } from '../../protocol/errors.js';
import type { BrokerLogger } from '../broker-logger.js';
import { formatPartition, PartitionMap, type TopicPartition } from '../metadata/topic-partition.js';
import { ControllerMovedError, type KafkaZkClient } from '../zk/kafka-zk-client.js';
import { REASSIGN_PARTITIONS_PATH, type PartitionLeadership, type ReplicaAssignment } from '../zk/zk-data.js';
import type { ControllerContext } from './controller-context.js';
import { withNewLeader } from './leader-election.js';
import type { PartitionStateMachine } from './partition-state-machine.js';
import { completed, isBeingReassigned, originReplicas, reassignTo, sameAssignment, sameReplicas, targetReplicas } from './reassignment.js';
import type { ReplicaStateMachine } from './replica-state-machine.js';
import type { RequestBatch } from './request-batch.js';
import type { TopicDeletionManager } from './topic-deletion.js';

/** Kafka's ApiError: a code and, sometimes, the message that goes with it. */
export interface PartitionError {
  readonly errorCode: number;
  readonly message: string | null;
}

const NONE: PartitionError = { errorCode: ErrorCode.NONE, message: null };

export interface ReassignmentDeps {
  readonly controllerId: number;
  readonly context: ControllerContext;
  readonly zk: KafkaZkClient;
  readonly batch: RequestBatch;
  readonly partitionStateMachine: PartitionStateMachine;
  readonly replicaStateMachine: ReplicaStateMachine;
  readonly deletion: TopicDeletionManager;
  readonly log: BrokerLogger;
  sendUpdateMetadata(brokers: readonly number[], partitions: readonly TopicPartition[]): void;
  /** Queues another look at `/admin/reassign_partitions` (after deleting it: its watch must be armed again). */
  requeueZkReassignment(): void;
}

/**
 * Kafka's partition reassignments in ZooKeeper mode (KIP-455; KafkaController.onPartitionReassignment
 * and its helpers), started by AlterPartitionReassignments or `/admin/reassign_partitions`.
 *
 * The assignment znode is written first (RS = ORS + TRS with the adding and removing replicas), so a
 * new controller resumes where the last one stopped. Until every target replica is in the ISR, the
 * leader epoch is bumped and LeaderAndIsr sent to every replica (new ones created as followers,
 * which catch up and join the ISR through AlterPartition). Then leadership moves to a target
 * replica if the leader is leaving (the reassign election: the first target replica online and in
 * the ISR), the leaving replicas go Offline (out of the ISR) and are deleted, and RS = TRS is
 * written. No acknowledged write is lost: the new leader is always an ISR member.
 */
export class PartitionReassignments {
  constructor(private readonly deps: ReassignmentDeps) {}

  /** AlterPartitionReassignments: a target per partition, or null to cancel (Kafka's processApiPartitionReassignment). */
  async alter(reassignments: PartitionMap<readonly number[] | null>): Promise<PartitionMap<PartitionError>> {
    const results = new PartitionMap<PartitionError>();
    const toReassign = new PartitionMap<ReplicaAssignment>();
    for (const [tp, target] of reassignments.entries()) {
      const invalid = target === null ? null : this.#validateReplicas(tp, target);
      if (invalid) {
        results.set(tp, invalid);
        continue;
      }
      const built = this.#build(tp, target);
      if (built) toReassign.set(tp, built);
      else results.set(tp, { errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, message: null });
    }
    // The latest reassignment, by API or ZooKeeper, wins: the znode forgets these partitions.
    await this.#maybeRemoveFromZkReassignment((tp) => toReassign.has(tp));
    for (const [tp, error] of (await this.#trigger(toReassign)).entries()) results.set(tp, error);
    return results;
  }

  /** ListPartitionReassignments: the partitions (all when null) being reassigned, with their full assignments. */
  list(partitions: readonly TopicPartition[] | null): PartitionMap<ReplicaAssignment> {
    const { context } = this.deps;
    const result = new PartitionMap<ReplicaAssignment>();
    for (const tp of partitions ?? [...context.partitionsBeingReassigned.keys()]) {
      const assignment = context.assignments.get(tp);
      if (assignment && isBeingReassigned(assignment)) result.set(tp, assignment);
    }
    return result;
  }

  /**
   * `/admin/reassign_partitions` was created (or the controller took over): its reassignments start,
   * those that cannot are removed from it. Returns the partitions started. Watches the znode's creation.
   */
  async processZkReassignment(): Promise<TopicPartition[]> {
    const { zk } = this.deps;
    if (!(await zk.exists(REASSIGN_PARTITIONS_PATH, true))) return [];
    const toReassign = new PartitionMap<ReplicaAssignment>();
    const failed = new PartitionMap<true>();
    for (const [tp, target] of (await zk.getPartitionReassignment()).entries()) {
      const built = this.#build(tp, target);
      if (built) toReassign.set(tp, built);
      else failed.set(tp, true);
    }
    const results = await this.#trigger(toReassign);
    for (const [tp, error] of results.entries()) if (error.errorCode !== ErrorCode.NONE) failed.set(tp, true);
    if ([...failed.keys()].length > 0) {
      this.deps.log('warn', `Controller ${this.deps.controllerId}: failed reassignments through ZooKeeper: ${names(failed.keys())}`);
      await this.#maybeRemoveFromZkReassignment((tp) => failed.has(tp));
    }
    return [...results.entries()].filter(([, e]) => e.errorCode === ErrorCode.NONE).map(([tp]) => tp);
  }

  /** Failover: the znode's reassignments, then those the assignments in ZooKeeper show in progress (Kafka's initializePartitionReassignments). */
  async initialize(): Promise<void> {
    const started = new PartitionMap<true>();
    for (const tp of await this.processZkReassignment()) started.set(tp, true);
    await this.resume((tp) => !started.has(tp));
  }

  /** Continues the reassignments `shouldResume` picks (after failover, or when one of their brokers comes back). */
  async resume(shouldResume: (tp: TopicPartition, assignment: ReplicaAssignment) => boolean): Promise<void> {
    const { context } = this.deps;
    for (const tp of [...context.partitionsBeingReassigned.keys()]) {
      const assignment = context.assignments.get(tp);
      if (assignment && shouldResume(tp, assignment)) await this.#onPartitionReassignment(tp, assignment);
    }
  }

  /** The partition's ISR changed: once every target replica is in it, the reassignment completes. */
  async maybeComplete(tp: TopicPartition): Promise<void> {
    const { context, log, controllerId } = this.deps;
    const assignment = context.assignments.get(tp);
    if (!context.partitionsBeingReassigned.has(tp) || !assignment) return;
    if (!(await this.#isComplete(tp, assignment))) return;
    log(
      'info',
      `Controller ${controllerId}: target replicas ${targetReplicas(assignment).join(',')} have all caught up with the leader for reassigning partition ${formatPartition(tp)}`,
    );
    await this.#onPartitionReassignment(tp, assignment);
  }

  #validateReplicas(tp: TopicPartition, replicas: readonly number[]): PartitionError | null {
    const { context } = this.deps;
    // Without a current assignment: answered UNKNOWN_TOPIC_OR_PARTITION when triggered.
    return validateReassignment(replicas, context.assignments.get(tp), context.liveBrokerIds());
  }

  /** Kafka's maybeBuildReassignment: a new target, or cancelling (back to ORS) one in progress; null when there is nothing to cancel. */
  #build(tp: TopicPartition, target: readonly number[] | null): ReplicaAssignment | null {
    const current = this.deps.context.assignments.get(tp) ?? { replicas: [], addingReplicas: [], removingReplicas: [] };
    if (isBeingReassigned(current)) return reassignTo(current, target ?? originReplicas(current));
    return target === null ? null : reassignTo(current, target);
  }

  /** Kafka's maybeTriggerPartitionReassignment: each partition on its own; a lost controllership propagates. */
  async #trigger(reassignments: PartitionMap<ReplicaAssignment>): Promise<PartitionMap<PartitionError>> {
    const { context, deletion, log, controllerId } = this.deps;
    const results = new PartitionMap<PartitionError>();
    const unknown: PartitionError = { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: 'The partition does not exist.' };
    for (const [tp, reassignment] of reassignments.entries()) {
      if (deletion.isTopicQueuedUpForDeletion(tp.topic) || context.replicas(tp).length === 0) {
        results.set(tp, unknown);
        continue;
      }
      try {
        await this.#onPartitionReassignment(tp, reassignment);
        results.set(tp, NONE);
      } catch (err) {
        if (err instanceof ControllerMovedError) throw err;
        log(
          'error',
          `Controller ${controllerId}: error completing reassignment of partition ${formatPartition(tp)}: ${(err as Error).message}`,
        );
        results.set(tp, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, message: null });
      }
    }
    return results;
  }

  /** Kafka's onPartitionReassignment: phase U, then phase A (targets not all in sync yet) or phase B (complete). */
  async #onPartitionReassignment(tp: TopicPartition, reassignment: ReplicaAssignment): Promise<void> {
    const { context, deletion, replicaStateMachine } = this.deps;
    deletion.markTopicIneligibleForDeletion([tp.topic]);
    await this.#updateCurrentReassignment(tp, reassignment);
    const replicasOf = (ids: readonly number[]) => ids.map((replica) => ({ ...tp, replica }));
    if (!(await this.#isComplete(tp, reassignment))) {
      // A1: every replica of ORS + TRS learns the new replica set under a new leader epoch; A2: the new ones start.
      await this.#bumpLeaderEpochAndSend(tp, reassignment);
      for (const r of replicasOf(reassignment.addingReplicas)) await replicaStateMachine.handleStateChanges([r], 'NewReplica');
      return;
    }
    // B1-B2: the new replicas are online members; RS = TRS in memory.
    await replicaStateMachine.handleStateChanges(replicasOf(reassignment.addingReplicas), 'OnlineReplica');
    const done = completed(reassignment);
    context.assignments.set(tp, done);
    // B3: leadership moves if the leader is leaving or gone; B4-B5: the leaving replicas drop out and are deleted.
    await this.#moveLeaderIfRequired(tp, done);
    await this.#stopRemovedReplicas(tp, reassignment.removingReplicas);
    // B6-B8: RS = TRS in ZooKeeper, the znode forgets it, every broker learns the new state.
    await this.#writeAssignment(tp, done);
    await this.#maybeRemoveFromZkReassignment(
      (p, replicas) => p.topic === tp.topic && p.partition === tp.partition && sameReplicas(replicas, done.replicas),
    );
    context.partitionsBeingReassigned.delete(tp);
    this.deps.sendUpdateMetadata(context.liveOrShuttingDownBrokerIds(), [tp]);
    await deletion.resumeDeletionForTopics([tp.topic]);
  }

  /** Phase U: the new assignment in ZooKeeper, then in memory; replicas a replaced reassignment was adding and this one does not want stop. */
  async #updateCurrentReassignment(tp: TopicPartition, reassignment: ReplicaAssignment): Promise<void> {
    const { context } = this.deps;
    const current = context.assignments.get(tp)!;
    if (!sameAssignment(current, reassignment)) {
      await this.#writeAssignment(tp, reassignment);
      context.assignments.set(tp, reassignment);
      const unneeded = current.replicas.filter((r) => !reassignment.replicas.includes(r));
      if (unneeded.length > 0) await this.#stopRemovedReplicas(tp, unneeded);
    }
    context.partitionsBeingReassigned.set(tp, true);
  }

  /** Complete when nothing moves, or when the ISR in ZooKeeper holds every target replica. */
  async #isComplete(tp: TopicPartition, assignment: ReplicaAssignment): Promise<boolean> {
    if (!isBeingReassigned(assignment)) return true;
    const state = (await this.deps.zk.getPartitionStates([tp])).get(tp);
    return state !== undefined && targetReplicas(assignment).every((r) => state.leaderAndIsr.isr.includes(r));
  }

  async #moveLeaderIfRequired(tp: TopicPartition, done: ReplicaAssignment): Promise<void> {
    const { context, partitionStateMachine, log, controllerId } = this.deps;
    const leader = context.leadership.get(tp)?.leaderAndIsr.leader ?? -1;
    if (done.replicas.includes(leader) && context.isReplicaOnline(leader, tp)) {
      // The leader stays: a new epoch tells it (and the others) the smaller replica set.
      await this.#bumpLeaderEpochAndSend(tp, done);
      return;
    }
    log(
      'info',
      `Controller ${controllerId}: leader ${leader} for partition ${formatPartition(tp)} being reassigned is not a live member of the new replicas ${done.replicas.join(',')}. Re-electing leader`,
    );
    await partitionStateMachine.handleStateChanges([tp], 'OnlinePartition', { kind: 'reassign' });
  }

  /** Kafka's stopRemovedReplicasOfReassignedPartition: Offline (out of the ISR, StopReplica), then deleted. */
  async #stopRemovedReplicas(tp: TopicPartition, removed: readonly number[]): Promise<void> {
    if (removed.length === 0) return;
    const { replicaStateMachine } = this.deps;
    const replicas = removed.map((replica) => ({ ...tp, replica }));
    await replicaStateMachine.handleStateChanges(replicas, 'OfflineReplica');
    await replicaStateMachine.handleStateChanges(replicas, 'ReplicaDeletionStarted');
    await replicaStateMachine.handleStateChanges(replicas, 'ReplicaDeletionSuccessful');
    await replicaStateMachine.handleStateChanges(replicas, 'NonExistentReplica');
  }

  /**
   * Kafka's updateLeaderEpochAndSendRequest: the same leader and ISR under the next leader epoch
   * (so brokers accept the new replica set), then LeaderAndIsr to the origin replicas and, as new
   * replicas, to the ones being added.
   */
  async #bumpLeaderEpochAndSend(tp: TopicPartition, assignment: ReplicaAssignment): Promise<void> {
    const { batch, context, log, controllerId } = this.deps;
    const leadership = await this.#bumpLeaderEpoch(tp);
    if (!leadership) {
      log('error', `Controller ${controllerId}: failed to send LeaderAndIsr with the new replica assignment of ${formatPartition(tp)}`);
      return;
    }
    batch.newBatch();
    batch.addLeaderAndIsr(originReplicas(assignment), tp, leadership, assignment, false);
    batch.addLeaderAndIsr(assignment.addingReplicas, tp, leadership, assignment, true);
    batch.send();
    context.leadership.set(tp, leadership);
  }

  /** Kafka's updateLeaderEpoch: read, fence against a newer controller, write conditionally, retry on a version conflict. */
  async #bumpLeaderEpoch(tp: TopicPartition): Promise<PartitionLeadership | null> {
    const { zk, context } = this.deps;
    for (;;) {
      const current = (await zk.getPartitionStates([tp])).get(tp);
      if (!current) throw new Error(`Cannot update leader epoch for partition ${formatPartition(tp)} as its state znode is missing`);
      if (current.controllerEpoch > context.epoch) {
        throw new Error(
          `Leader and isr path of ${formatPartition(tp)} written by another controller (epoch ${current.controllerEpoch}); aborting state change by this controller`,
        );
      }
      const { leaderAndIsr } = current;
      const next = withNewLeader(leaderAndIsr, leaderAndIsr.leader, leaderAndIsr.isr);
      const update = await zk.updateLeaderAndIsr([[tp, next]], context.epoch, context.epochZkVersion);
      const written = update.finished.get(tp);
      if (written instanceof Error) throw written;
      if (written) return { leaderAndIsr: written, controllerEpoch: context.epoch };
    }
  }

  /** The topic's assignment znode with this partition's assignment replaced; fenced by the controller epoch. */
  async #writeAssignment(tp: TopicPartition, assignment: ReplicaAssignment): Promise<void> {
    const { context, zk } = this.deps;
    const partitions = new Map(context.assignments.ofTopic(tp.topic));
    partitions.set(tp.partition, assignment);
    await zk.setTopicAssignment(tp.topic, { topicId: context.topicIds.get(tp.topic) ?? null, partitions }, context.epochZkVersion);
  }

  /** Removes partitions from `/admin/reassign_partitions`; deletes it once empty (and looks again, to watch for the next one). */
  async #maybeRemoveFromZkReassignment(shouldRemove: (tp: TopicPartition, replicas: readonly number[]) => boolean): Promise<void> {
    const { zk, context } = this.deps;
    if (!(await zk.exists(REASSIGN_PARTITIONS_PATH))) return;
    const remaining = new PartitionMap<number[]>();
    for (const [tp, replicas] of (await zk.getPartitionReassignment()).entries())
      if (!shouldRemove(tp, replicas)) remaining.set(tp, replicas);
    if ([...remaining.keys()].length === 0) {
      await zk.deletePartitionReassignment(context.epochZkVersion);
      this.deps.requeueZkReassignment();
    } else await zk.setOrCreatePartitionReassignment(remaining, context.epochZkVersion);
  }
}

function names(partitions: Iterable<TopicPartition>): string {
  return [...partitions].map(formatPartition).join(',');
}

/**
 * Kafka's validateReplicas: no empty, duplicate or negative ids, and every replica added to the
 * `current` assignment (when known) on a live broker.
 */
export function validateReassignment(
  replicas: readonly number[],
  current: ReplicaAssignment | undefined,
  live: readonly number[],
): PartitionError | null {
  const invalid = (message: string): PartitionError => ({ errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, message });
  const list = `[${replicas.join(', ')}]`;
  if (replicas.length === 0) return invalid('Empty replica list specified in partition reassignment.');
  if (new Set(replicas).size !== replicas.length) return invalid(`Duplicate replica ids in partition reassignment replica list: ${list}`);
  if (replicas.some((r) => r < 0)) return invalid(`Invalid broker id in replica list: ${list}`);
  if (!current) return null;
  const adding = reassignTo(current, replicas).addingReplicas;
  if (adding.some((r) => !live.includes(r))) {
    return invalid(
      `Replica assignment has brokers that are not alive. Replica list: [${adding.join(', ')}], live broker list: [${live.join(', ')}]`,
    );
  }
  return null;
}
