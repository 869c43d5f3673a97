import { groupBy } from '../../util/group-by.js';
import { ControllerMovedError } from '../zk/kafka-zk-client.js';
import { type LeaderAndIsr, NO_LEADER, type PartitionLeadership } from '../zk/zk-data.js';
import { type ReplicaState, VALID_PREVIOUS_REPLICA_STATES } from './controller-context.js';
import { withNewLeader } from './leader-election.js';
import type { StateMachineDeps } from './partition-state-machine.js';
import { formatPartition, PartitionMap, type PartitionReplica, type TopicPartition } from '../metadata/topic-partition.js';

/**
 * Kafka's ZkReplicaStateMachine. OnlineReplica sends the replica's broker LeaderAndIsr with the
 * partition's state; OfflineReplica sends it StopReplica (no delete) and removes it from the ISR
 * in ZooKeeper (leader -1 if it led; the last ISR member is kept), bumping the leader epoch and
 * telling the other replicas; the deletion states send StopReplica with delete and track the
 * answers for topic deletion.
 */
export class ReplicaStateMachine {
  constructor(private readonly deps: StateMachineDeps) {}

  /** Initial states after failover: replicas on live brokers Online, the others DeletionIneligible (deletion must wait for them). */
  initialize(): void {
    const { context } = this.deps;
    for (const tp of context.allPartitions()) {
      for (const replica of context.replicas(tp)) {
        context.putReplicaState({ ...tp, replica }, context.isReplicaOnline(replica, tp) ? 'OnlineReplica' : 'ReplicaDeletionIneligible');
      }
    }
  }

  /** The failover transitions: online replicas to Online (LeaderAndIsr to each), the rest to Offline. */
  async startup(): Promise<void> {
    const { context } = this.deps;
    const all = context.replicasForPartitions(context.allPartitions());
    const online = all.filter((r) => context.isReplicaOnline(r.replica, r));
    await this.handleStateChanges(online, 'OnlineReplica');
    await this.handleStateChanges(
      all.filter((r) => !context.isReplicaOnline(r.replica, r)),
      'OfflineReplica',
    );
  }

  async handleStateChanges(replicas: readonly PartitionReplica[], target: ReplicaState): Promise<void> {
    if (replicas.length === 0) return;
    const { batch } = this.deps;
    batch.newBatch();
    try {
      for (const [brokerId, ofBroker] of groupBy(replicas, (r) => r.replica)) await this.#doHandleStateChanges(brokerId, ofBroker, target);
      batch.send();
    } catch (err) {
      batch.clear();
      if (err instanceof ControllerMovedError) throw err;
      this.deps.log('error', `Controller ${this.deps.controllerId}: error moving replicas to ${target}: ${(err as Error).message}`);
    }
  }

  async #doHandleStateChanges(brokerId: number, replicas: readonly PartitionReplica[], target: ReplicaState): Promise<void> {
    const { context, batch } = this.deps;
    const valid = replicas.filter((r) => {
      const current = context.replicaState(r);
      if (VALID_PREVIOUS_REPLICA_STATES[target].includes(current)) return true;
      this.#stateChangeFailed(r, target, `it is in ${current}, not one of ${VALID_PREVIOUS_REPLICA_STATES[target].join(',')}`);
      return false;
    });
    switch (target) {
      case 'NewReplica':
        for (const r of valid) {
          const leadership = context.leadership.get(r);
          if (leadership?.leaderAndIsr.leader === brokerId) {
            this.#stateChangeFailed(r, target, 'it is being requested to become leader');
            continue;
          }
          if (leadership) batch.addLeaderAndIsr([brokerId], r, leadership, context.assignments.get(r)!, true);
          context.putReplicaState(r, 'NewReplica');
        }
        return;
      case 'OnlineReplica':
        for (const r of valid) {
          const assignment = context.assignments.get(r);
          if (context.replicaState(r) === 'NewReplica') {
            if (assignment && !assignment.replicas.includes(brokerId)) {
              context.assignments.set(r, { ...assignment, replicas: [...assignment.replicas, brokerId] });
            }
          } else {
            const leadership = context.leadership.get(r);
            if (leadership && assignment) batch.addLeaderAndIsr([brokerId], r, leadership, assignment, false);
          }
          context.putReplicaState(r, 'OnlineReplica');
        }
        return;
      case 'OfflineReplica': {
        for (const r of valid) batch.addStopReplica([brokerId], r, false);
        const withLeadership = valid.filter((r) => context.leadership.has(r));
        const updated = await this.#removeReplicasFromIsr(brokerId, withLeadership);
        for (const [tp, leadership] of updated.entries()) {
          if (!context.isTopicQueuedUpForDeletion(tp.topic)) {
            const recipients = context.replicas(tp).filter((id) => id !== brokerId);
            batch.addLeaderAndIsr(recipients, tp, leadership, context.assignments.get(tp)!, false);
          }
          context.putReplicaState({ ...tp, replica: brokerId }, 'OfflineReplica');
        }
        for (const r of valid.filter((r) => !context.leadership.has(r))) {
          batch.addUpdateMetadata(context.liveOrShuttingDownBrokerIds(), [r]);
          context.putReplicaState(r, 'OfflineReplica');
        }
        return;
      }
      case 'ReplicaDeletionStarted':
        for (const r of valid) {
          context.putReplicaState(r, 'ReplicaDeletionStarted');
          batch.addStopReplica([brokerId], r, true);
        }
        return;
      case 'ReplicaDeletionIneligible':
      case 'ReplicaDeletionSuccessful':
        for (const r of valid) context.putReplicaState(r, target);
        return;
      case 'NonExistentReplica':
        for (const r of valid) {
          const assignment = context.assignments.get(r);
          if (assignment) context.assignments.set(r, { ...assignment, replicas: assignment.replicas.filter((id) => id !== brokerId) });
          context.removeReplicaState(r);
        }
        return;
    }
  }

  /**
   * Kafka's removeReplicasFromIsr: per partition, the replica leaves the ISR (unless it is the
   * last member) and leadership if it had it, at the next leader epoch; written conditionally,
   * re-read and retried on a version conflict. Returns the states now in force (also for
   * partitions whose ISR did not hold the replica).
   */
  async #removeReplicasFromIsr(brokerId: number, partitions: readonly TopicPartition[]): Promise<PartitionMap<PartitionLeadership>> {
    const { context, zk } = this.deps;
    const result = new PartitionMap<PartitionLeadership>();
    let remaining = partitions;
    while (remaining.length > 0) {
      const current = await zk.getPartitionStates(remaining);
      const updates: [TopicPartition, LeaderAndIsr][] = [];
      for (const tp of remaining) {
        const leadership = current.get(tp);
        if (!leadership) {
          if (!context.isTopicQueuedUpForDeletion(tp.topic)) {
            this.#stateChangeFailed({ ...tp, replica: brokerId }, 'OfflineReplica', 'the partition has no state in ZooKeeper');
          }
          continue;
        }
        if (leadership.controllerEpoch > context.epoch) {
          this.#stateChangeFailed(
            { ...tp, replica: brokerId },
            'OfflineReplica',
            `its state was written by a newer controller (epoch ${leadership.controllerEpoch})`,
          );
          continue;
        }
        const { leaderAndIsr } = leadership;
        if (!leaderAndIsr.isr.includes(brokerId)) {
          const kept = { leaderAndIsr, controllerEpoch: context.epoch };
          context.leadership.set(tp, kept);
          result.set(tp, kept);
          continue;
        }
        const leader = leaderAndIsr.leader === brokerId ? NO_LEADER : leaderAndIsr.leader;
        const isr = leaderAndIsr.isr.length === 1 ? leaderAndIsr.isr : leaderAndIsr.isr.filter((id) => id !== brokerId);
        updates.push([tp, withNewLeader(leaderAndIsr, leader, isr)]);
      }
      const update = await zk.updateLeaderAndIsr(updates, context.epoch, context.epochZkVersion);
      for (const [tp, written] of update.finished.entries()) {
        if (written instanceof Error) {
          this.#stateChangeFailed({ ...tp, replica: brokerId }, 'OfflineReplica', written.message);
          continue;
        }
        const leadership = { leaderAndIsr: written, controllerEpoch: context.epoch };
        context.leadership.set(tp, leadership);
        result.set(tp, leadership);
      }
      remaining = update.retry;
    }
    return result;
  }

  #stateChangeFailed(r: PartitionReplica, target: ReplicaState, why: string): void {
    const { controllerId, context, log } = this.deps;
    log(
      'warn',
      `Controller ${controllerId} epoch ${context.epoch} failed to change state of replica ${r.replica} for partition ${formatPartition(r)} from ${context.replicaState(r)} to ${target}: ${why}`,
    );
  }
}
