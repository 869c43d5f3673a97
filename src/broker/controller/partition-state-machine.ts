import type { BrokerLogger } from '../broker-logger.js';
import { ControllerMovedError, type KafkaZkClient } from '../zk/kafka-zk-client.js';
import { LeaderRecoveryState, type LeaderAndIsr, type PartitionLeadership } from '../zk/zk-data.js';
import { type ControllerContext, type PartitionState, VALID_PREVIOUS_PARTITION_STATES } from './controller-context.js';
import {
  electControlledShutdownLeader,
  electNewPartitionLeader,
  electOfflinePartitionLeader,
  electPreferredLeader,
  electReassignmentLeader,
  needsUncleanElection,
} from './leader-election.js';
import type { RequestBatch } from './request-batch.js';
import { formatPartition, PartitionMap, type TopicPartition } from '../metadata/topic-partition.js';

/** What the state machines share with the controller. */
export interface StateMachineDeps {
  readonly controllerId: number;
  readonly context: ControllerContext;
  readonly zk: KafkaZkClient;
  readonly batch: RequestBatch;
  readonly log: BrokerLogger;
}

/**
 * How a partition moving to OnlinePartition gets its leader (Kafka's PartitionLeaderElectionStrategy).
 * `allowUnclean` forces an unclean election (the admin's ElectLeaders UNCLEAN); otherwise the
 * topic's `unclean.leader.election.enable` decides.
 */
export type ElectionStrategy =
  | { readonly kind: 'offline'; readonly allowUnclean: boolean }
  | { readonly kind: 'controlledShutdown' }
  | { readonly kind: 'preferred' }
  | { readonly kind: 'reassign' };

export const OFFLINE_ELECTION: ElectionStrategy = { kind: 'offline', allowUnclean: false };

/** Per partition: the state written, or why the election failed. */
export type ElectionResults = PartitionMap<LeaderAndIsr | Error>;

export interface PartitionStateMachineDeps extends StateMachineDeps {
  /** The topic's `unclean.leader.election.enable` (its override in ZooKeeper, else the broker default). */
  uncleanLeaderElectionEnabled(topic: string): Promise<boolean>;
}

/**
 * Kafka's ZkPartitionStateMachine: NonExistent → New → Online ⇄ Offline → NonExistent. Moving
 * a New partition online creates its state znode (first live replica leads, live replicas in
 * sync); moving an Online or Offline one online elects a leader by the strategy, writes the
 * state conditionally on its partition epoch (re-reading and retrying on a version conflict),
 * and queues LeaderAndIsr to its live replicas plus UpdateMetadata to every broker.
 */
export class PartitionStateMachine {
  constructor(private readonly deps: PartitionStateMachineDeps) {}

  /** Initial states after failover: no state znode is New; leader online is Online; else Offline. */
  initialize(): void {
    const { context } = this.deps;
    for (const tp of context.allPartitions()) {
      const leadership = context.leadership.get(tp);
      if (!leadership) context.partitionStates.set(tp, 'NewPartition');
      else
        context.partitionStates.set(
          tp,
          context.isReplicaOnline(leadership.leaderAndIsr.leader, tp) ? 'OnlinePartition' : 'OfflinePartition',
        );
    }
  }

  /** Tries to bring every New or Offline partition (of `topic`, if given) online, except those of topics being deleted. */
  triggerOnlinePartitionStateChange(topic?: string): Promise<ElectionResults> {
    const { context } = this.deps;
    const partitions = context
      .partitionsInStates(['OfflinePartition', 'NewPartition'], topic)
      .filter((tp) => !context.isTopicQueuedUpForDeletion(tp.topic));
    return this.handleStateChanges(partitions, 'OnlinePartition', OFFLINE_ELECTION);
  }

  /**
   * Moves partitions to `target` and sends the resulting requests. A lost controllership
   * (ControllerMovedError) propagates; any other failure fails every partition of the call.
   */
  async handleStateChanges(
    partitions: readonly TopicPartition[],
    target: PartitionState,
    strategy: ElectionStrategy = OFFLINE_ELECTION,
  ): Promise<ElectionResults> {
    const results: ElectionResults = new PartitionMap();
    if (partitions.length === 0) return results;
    const { batch } = this.deps;
    batch.newBatch();
    try {
      await this.#doHandleStateChanges(partitions, target, strategy, results);
      batch.send();
    } catch (err) {
      batch.clear();
      if (err instanceof ControllerMovedError) throw err;
      this.deps.log('error', `Controller ${this.deps.controllerId}: error moving partitions to ${target}: ${(err as Error).message}`);
      for (const tp of partitions) results.set(tp, err as Error);
    }
    return results;
  }

  async #doHandleStateChanges(
    partitions: readonly TopicPartition[],
    target: PartitionState,
    strategy: ElectionStrategy,
    results: ElectionResults,
  ): Promise<void> {
    const { context } = this.deps;
    const valid = partitions.filter((tp) => {
      const current = context.partitionState(tp);
      if (VALID_PREVIOUS_PARTITION_STATES[target].includes(current)) return true;
      this.#stateChangeFailed(tp, target, `it is in ${current}, not one of ${VALID_PREVIOUS_PARTITION_STATES[target].join(',')}`);
      return false;
    });
    if (target !== 'OnlinePartition') {
      for (const tp of valid) {
        if (target === 'NonExistentPartition') context.partitionStates.delete(tp);
        else context.partitionStates.set(tp, target);
      }
      return;
    }
    const uninitialized = valid.filter((tp) => context.partitionState(tp) === 'NewPartition');
    const toElect = valid.filter((tp) => context.partitionState(tp) !== 'NewPartition');
    for (const tp of await this.#initializeLeaderAndIsr(uninitialized)) {
      context.partitionStates.set(tp, 'OnlinePartition');
      results.set(tp, context.leadership.get(tp)!.leaderAndIsr);
    }
    if (toElect.length === 0) return;
    for (const [tp, result] of (await this.#electLeaders(toElect, strategy)).entries()) {
      results.set(tp, result);
      if (!(result instanceof Error)) context.partitionStates.set(tp, 'OnlinePartition');
    }
  }

  /** New partitions: state znodes created, LeaderAndIsr (IsNew) to the ISR. Returns those initialized. */
  async #initializeLeaderAndIsr(partitions: readonly TopicPartition[]): Promise<TopicPartition[]> {
    const { context, zk, batch } = this.deps;
    const states: [TopicPartition, PartitionLeadership][] = [];
    for (const tp of partitions) {
      const elected = electNewPartitionLeader(context.replicas(tp), (id) => context.isReplicaOnline(id, tp));
      if (!elected) {
        this.#stateChangeFailed(
          tp,
          'OnlinePartition',
          `no assigned replica is alive (assigned [${context.replicas(tp).join(',')}], live brokers [${context.liveBrokerIds().join(',')}])`,
        );
        continue;
      }
      const leaderAndIsr: LeaderAndIsr = {
        leader: elected.leader,
        leaderEpoch: 0,
        isr: elected.isr,
        leaderRecoveryState: LeaderRecoveryState.RECOVERED,
        partitionEpoch: 0,
      };
      states.push([tp, { leaderAndIsr, controllerEpoch: context.epoch }]);
    }
    if (states.length === 0) return [];
    const created = await zk.createPartitionStates(states, context.epochZkVersion);
    const initialized: TopicPartition[] = [];
    for (const [tp, leadership] of states) {
      const error = created.get(tp);
      if (error) {
        this.#stateChangeFailed(tp, 'OnlinePartition', error.message);
        continue;
      }
      context.leadership.set(tp, leadership);
      batch.addLeaderAndIsr(leadership.leaderAndIsr.isr, tp, leadership, context.assignments.get(tp)!, true);
      initialized.push(tp);
    }
    return initialized;
  }

  /** Elections with conditional writes, re-reading and retrying partitions whose znode moved on. */
  async #electLeaders(partitions: readonly TopicPartition[], strategy: ElectionStrategy): Promise<ElectionResults> {
    const finished: ElectionResults = new PartitionMap();
    let remaining = partitions;
    while (remaining.length > 0) {
      remaining = await this.#tryElectLeaders(remaining, strategy, finished);
    }
    for (const [tp, result] of finished.entries())
      if (result instanceof Error) this.#stateChangeFailed(tp, 'OnlinePartition', result.message);
    return finished;
  }

  async #tryElectLeaders(
    partitions: readonly TopicPartition[],
    strategy: ElectionStrategy,
    finished: ElectionResults,
  ): Promise<TopicPartition[]> {
    const { context, zk, batch } = this.deps;
    const current = await zk.getPartitionStates(partitions);
    const elected: [TopicPartition, LeaderAndIsr, readonly number[]][] = [];
    for (const tp of partitions) {
      const leadership = current.get(tp);
      if (!leadership) {
        finished.set(
          tp,
          new Error(`LeaderAndIsr information doesn't exist for partition ${formatPartition(tp)} in ${context.partitionState(tp)} state`),
        );
        continue;
      }
      if (leadership.controllerEpoch > context.epoch) {
        finished.set(
          tp,
          new Error(
            `Aborted leader election for partition ${formatPartition(tp)} since the LeaderAndIsr path was already written by another controller (epoch ${leadership.controllerEpoch})`,
          ),
        );
        continue;
      }
      const result = await this.#elect(tp, leadership.leaderAndIsr, strategy);
      if (!result) {
        finished.set(tp, new Error(`Failed to elect leader for partition ${formatPartition(tp)} under strategy ${strategyName(strategy)}`));
        continue;
      }
      elected.push([tp, result.leaderAndIsr, result.recipients]);
    }
    if (elected.length === 0) return [];
    const update = await zk.updateLeaderAndIsr(
      elected.map(([tp, leaderAndIsr]) => [tp, leaderAndIsr] as const),
      context.epoch,
      context.epochZkVersion,
    );
    for (const [tp, , recipients] of elected) {
      const written = update.finished.get(tp);
      if (written === undefined) continue;
      finished.set(tp, written);
      if (written instanceof Error) continue;
      const leadership = { leaderAndIsr: written, controllerEpoch: context.epoch };
      context.leadership.set(tp, leadership);
      batch.addLeaderAndIsr(recipients, tp, leadership, context.assignments.get(tp)!, false);
    }
    return [...update.retry];
  }

  /** The new state by the strategy, and the replicas to tell (Kafka sends to the live ones the strategy considered). */
  async #elect(
    tp: TopicPartition,
    current: LeaderAndIsr,
    strategy: ElectionStrategy,
  ): Promise<{ leaderAndIsr: LeaderAndIsr; recipients: readonly number[] } | null> {
    const { context } = this.deps;
    const assignment = context.replicas(tp);
    const online = (id: number) => context.isReplicaOnline(id, tp);
    let leaderAndIsr: LeaderAndIsr | null;
    let recipients = assignment.filter(online);
    switch (strategy.kind) {
      case 'offline': {
        const unclean =
          needsUncleanElection(current, online) && (strategy.allowUnclean || (await this.deps.uncleanLeaderElectionEnabled(tp.topic)));
        leaderAndIsr = electOfflinePartitionLeader(assignment, current, online, unclean);
        break;
      }
      case 'controlledShutdown': {
        const onlineOrShuttingDown = (id: number) => context.isReplicaOnline(id, tp, true);
        recipients = assignment.filter(onlineOrShuttingDown);
        leaderAndIsr = electControlledShutdownLeader(assignment, current, onlineOrShuttingDown, context.shuttingDownBrokerIds);
        break;
      }
      case 'preferred':
        leaderAndIsr = electPreferredLeader(assignment, current, online);
        break;
      case 'reassign': {
        const target = context.assignments.get(tp)!;
        const targetReplicas = target.replicas.filter((id) => !target.removingReplicas.includes(id));
        recipients = targetReplicas.filter(online);
        leaderAndIsr = electReassignmentLeader(targetReplicas, current, online);
        break;
      }
    }
    return leaderAndIsr ? { leaderAndIsr, recipients } : null;
  }

  #stateChangeFailed(tp: TopicPartition, target: PartitionState, why: string): void {
    const { controllerId, context, log } = this.deps;
    log(
      'warn',
      `Controller ${controllerId} epoch ${context.epoch} failed to change state for partition ${formatPartition(tp)} from ${context.partitionState(tp)} to ${target}: ${why}`,
    );
  }
}

/** Kafka's name of the strategy, as its failure messages (and ElectLeaders' error messages) print it. */
function strategyName(strategy: ElectionStrategy): string {
  switch (strategy.kind) {
    case 'offline':
      return `OfflinePartitionLeaderElectionStrategy(${strategy.allowUnclean})`;
    case 'controlledShutdown':
      return 'ControlledShutdownPartitionLeaderElectionStrategy';
    case 'preferred':
      return 'PreferredReplicaPartitionLeaderElectionStrategy';
    case 'reassign':
      return 'ReassignPartitionLeaderElectionStrategy';
  }
}
