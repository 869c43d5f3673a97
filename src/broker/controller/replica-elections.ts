import { ErrorCode } from '../../protocol/errors.js';
import type { BrokerLogger } from '../broker-logger.js';
import { formatPartition, PartitionMap, type TopicPartition } from '../metadata/topic-partition.js';
import { ControllerMovedError, type KafkaZkClient } from '../zk/kafka-zk-client.js';
import { PREFERRED_REPLICA_ELECTION_PATH } from '../zk/zk-data.js';
import type { ControllerContext } from './controller-context.js';
import { electPreferredLeader } from './leader-election.js';
import type { PartitionError } from './partition-reassignments.js';
import type { ElectionStrategy, PartitionStateMachine } from './partition-state-machine.js';
import type { TopicDeletionManager } from './topic-deletion.js';

/** ElectLeaders' election types (Kafka's ElectionType: 0 PREFERRED, 1 UNCLEAN). */
export type ElectionType = 'PREFERRED' | 'UNCLEAN';

/** Who asked: the admin API, `/admin/preferred_replica_election`, or the auto-rebalance task. */
export type ElectionTrigger = 'admin' | 'zk' | 'auto';

/** Per partition: the leader elected, or why not. */
export type ElectionOutcome = { readonly leader: number } | PartitionError;

export interface ElectionDeps {
  readonly controllerId: number;
  readonly context: ControllerContext;
  readonly zk: KafkaZkClient;
  readonly partitionStateMachine: PartitionStateMachine;
  readonly deletion: TopicDeletionManager;
  readonly log: BrokerLogger;
  /** `leader.imbalance.per.broker.percentage`. */
  imbalancePerBrokerPercentage(): number;
  /** Queues another look at `/admin/preferred_replica_election` (after deleting it: its watch must be armed again). */
  requeueZkElection(): void;
}

/**
 * Kafka's replica leader elections (KafkaController.processReplicaLeaderElection, onReplicaElection,
 * checkAndTriggerAutoLeaderRebalance): preferred elections move leadership to the first assigned
 * replica when it is online and in the ISR; unclean elections (admin only) give a leaderless
 * partition an out-of-sync leader. The auto-rebalance task elects preferred leaders for every
 * broker whose share of partitions led elsewhere exceeds `leader.imbalance.per.broker.percentage`.
 */
export class ReplicaElections {
  constructor(private readonly deps: ElectionDeps) {}

  /**
   * ElectLeaders (partitions given) or `/admin/preferred_replica_election` (null: read it; nothing
   * when it does not exist, which arms its watch). Partitions already led as asked are
   * ELECTION_NOT_NEEDED, unknown ones UNKNOWN_TOPIC_OR_PARTITION, those of a topic being deleted
   * INVALID_TOPIC_EXCEPTION.
   */
  async elect(
    requested: readonly TopicPartition[] | null,
    type: ElectionType,
    trigger: ElectionTrigger,
  ): Promise<PartitionMap<ElectionOutcome>> {
    const { context, deletion, zk, log, controllerId } = this.deps;
    const results = new PartitionMap<ElectionOutcome>();
    let partitions = requested;
    if (partitions === null) {
      if (!(await zk.exists(PREFERRED_REPLICA_ELECTION_PATH, true))) return results;
      partitions = await zk.getPreferredReplicaElection();
    }
    const electable: TopicPartition[] = [];
    for (const tp of partitions) {
      if (!context.assignments.has(tp)) {
        log(
          'info',
          `Controller ${controllerId}: skipping replica leader election (${type}) for partition ${formatPartition(tp)} by ${trigger} since it doesn't exist.`,
        );
        results.set(tp, { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: 'The partition does not exist.' });
      } else if (deletion.isTopicQueuedUpForDeletion(tp.topic)) {
        results.set(tp, { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: 'The topic is being deleted' });
      } else if (this.#alreadyValid(tp, type)) {
        results.set(tp, { errorCode: ErrorCode.ELECTION_NOT_NEEDED, message: null });
      } else electable.push(tp);
    }
    for (const [tp, outcome] of (await this.#onReplicaElection(electable, type, trigger)).entries()) results.set(tp, outcome);
    return results;
  }

  /** Kafka's checkAndTriggerAutoLeaderRebalance. */
  async checkAndTriggerAutoLeaderRebalance(): Promise<void> {
    const { context, deletion } = this.deps;
    const byPreferred = new Map<number, TopicPartition[]>();
    for (const tp of context.allPartitions()) {
      if (deletion.isTopicQueuedUpForDeletion(tp.topic)) continue;
      const preferred = context.replicas(tp)[0];
      if (preferred === undefined) continue;
      byPreferred.set(preferred, [...(byPreferred.get(preferred) ?? []), tp]);
    }
    const threshold = this.deps.imbalancePerBrokerPercentage() / 100;
    for (const [broker, partitions] of byPreferred) {
      const notLed = partitions.filter((tp) => {
        const leader = context.leadership.get(tp)?.leaderAndIsr.leader;
        return leader !== undefined && leader !== broker;
      });
      if (notLed.length / partitions.length <= threshold) continue;
      const candidates = notLed.filter(
        (tp) => !deletion.isTopicQueuedUpForDeletion(tp.topic) && context.allTopics.has(tp.topic) && this.#canPreferredReplicaLead(tp),
      );
      if (candidates.length > 0) await this.#onReplicaElection(candidates, 'PREFERRED', 'auto');
    }
  }

  #alreadyValid(tp: TopicPartition, type: ElectionType): boolean {
    const { context } = this.deps;
    const leader = context.leadership.get(tp)?.leaderAndIsr.leader ?? -1;
    if (type === 'PREFERRED') return leader === context.replicas(tp)[0];
    return leader !== -1 && context.liveOrShuttingDownBrokerIds().includes(leader);
  }

  #canPreferredReplicaLead(tp: TopicPartition): boolean {
    const { context } = this.deps;
    const current = context.leadership.get(tp)?.leaderAndIsr;
    return current !== undefined && electPreferredLeader(context.replicas(tp), current, (id) => context.isReplicaOnline(id, tp)) !== null;
  }

  /** Kafka's onReplicaElection; an unclean election only ever for the admin API. Others clear the ZooKeeper request. */
  async #onReplicaElection(
    partitions: readonly TopicPartition[],
    type: ElectionType,
    trigger: ElectionTrigger,
  ): Promise<PartitionMap<ElectionOutcome>> {
    const { partitionStateMachine, log, controllerId } = this.deps;
    const outcomes = new PartitionMap<ElectionOutcome>();
    try {
      if (partitions.length > 0) {
        log(
          'info',
          `Controller ${controllerId}: starting replica leader election (${type}) for partitions ${partitions.map(formatPartition).join(',')} triggered by ${trigger}`,
        );
      }
      const strategy: ElectionStrategy =
        type === 'PREFERRED' ? { kind: 'preferred' } : { kind: 'offline', allowUnclean: trigger === 'admin' };
      const results = await partitionStateMachine.handleStateChanges(partitions, 'OnlinePartition', strategy);
      const failedCode = type === 'PREFERRED' ? ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE : ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE;
      for (const [tp, result] of results.entries()) {
        outcomes.set(tp, result instanceof Error ? { errorCode: failedCode, message: result.message } : { leader: result.leader });
      }
    } finally {
      if (trigger === 'zk') await this.#clearZkElection(partitions);
    }
    return outcomes;
  }

  async #clearZkElection(partitions: readonly TopicPartition[]): Promise<void> {
    const { context, zk, log, controllerId } = this.deps;
    for (const tp of partitions) {
      const leader = context.leadership.get(tp)?.leaderAndIsr.leader;
      const preferred = context.replicas(tp)[0];
      if (leader === preferred)
        log('info', `Partition ${formatPartition(tp)} completed preferred replica leader election. New leader is ${preferred}`);
      else
        log(
          'warn',
          `Partition ${formatPartition(tp)} failed to complete preferred replica leader election to ${preferred}. Leader is still ${leader}`,
        );
    }
    try {
      await zk.deletePreferredReplicaElection(context.epochZkVersion);
    } catch (err) {
      if (err instanceof ControllerMovedError) throw err;
      log('error', `Controller ${controllerId}: could not delete ${PREFERRED_REPLICA_ELECTION_PATH}: ${(err as Error).message}`);
    }
    this.deps.requeueZkElection();
  }
}
