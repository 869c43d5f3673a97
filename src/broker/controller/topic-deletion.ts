import type { ControllerContext } from './controller-context.js';
import type { PartitionStateMachine } from './partition-state-machine.js';
import type { ReplicaStateMachine } from './replica-state-machine.js';
import type { PartitionReplica, TopicPartition } from '../metadata/topic-partition.js';

/** What deletion needs from the controller beyond the state machines. */
export interface DeletionClient {
  /** `delete.topic.enable`. */
  deleteTopicEnabled(): boolean;
  /** Removes `/brokers/topics/<t>`, `/config/topics/<t>` and `/admin/delete_topics/<t>`. */
  deleteTopic(topic: string): Promise<void>;
  deleteTopicDeletions(topics: readonly string[]): Promise<void>;
  /** Stops reacting to the topic's assignment znode (it is about to go). */
  mutePartitionModifications(topic: string): void;
  sendMetadataUpdate(partitions: readonly TopicPartition[]): void;
}

/**
 * Kafka's TopicDeletionManager. A topic queued for deletion (`/admin/delete_topics/<t>`) has its
 * partitions taken Offline then NonExistent, UpdateMetadata announce it (leader -2), its replicas
 * get StopReplica without then with delete; once every replica answered without error the
 * topic's znodes are removed. A replica on a dead broker makes the topic ineligible until the
 * broker returns; failed replicas are retried then.
 */
export class TopicDeletionManager {
  constructor(
    private readonly context: ControllerContext,
    private readonly replicaStateMachine: ReplicaStateMachine,
    private readonly partitionStateMachine: PartitionStateMachine,
    private readonly client: DeletionClient,
  ) {}

  async init(toBeDeleted: ReadonlySet<string>, ineligible: ReadonlySet<string>): Promise<void> {
    if (!this.client.deleteTopicEnabled()) {
      await this.client.deleteTopicDeletions([...toBeDeleted]);
      return;
    }
    for (const topic of toBeDeleted) this.context.topicsToBeDeleted.add(topic);
    for (const topic of ineligible) if (this.context.topicsToBeDeleted.has(topic)) this.context.topicsIneligibleForDeletion.add(topic);
  }

  async tryTopicDeletion(): Promise<void> {
    if (this.client.deleteTopicEnabled()) await this.#resumeDeletions();
  }

  async enqueueTopicsForDeletion(topics: Iterable<string>): Promise<void> {
    if (!this.client.deleteTopicEnabled()) return;
    for (const topic of topics) this.context.topicsToBeDeleted.add(topic);
    await this.#resumeDeletions();
  }

  /** Topics some of whose replicas came back: deletion may go on. */
  async resumeDeletionForTopics(topics: Iterable<string>): Promise<void> {
    if (!this.client.deleteTopicEnabled()) return;
    const resumed = [...topics].filter((t) => this.context.topicsToBeDeleted.has(t));
    if (resumed.length === 0) return;
    for (const topic of resumed) this.context.topicsIneligibleForDeletion.delete(topic);
    await this.#resumeDeletions();
  }

  async failReplicaDeletion(replicas: readonly PartitionReplica[]): Promise<void> {
    if (!this.client.deleteTopicEnabled()) return;
    const failed = replicas.filter((r) => this.isTopicQueuedUpForDeletion(r.topic));
    if (failed.length === 0) return;
    await this.replicaStateMachine.handleStateChanges(failed, 'ReplicaDeletionIneligible');
    this.markTopicIneligibleForDeletion(failed.map((r) => r.topic));
    await this.#resumeDeletions();
  }

  async completeReplicaDeletion(replicas: readonly PartitionReplica[]): Promise<void> {
    const deleted = replicas.filter((r) => this.isTopicQueuedUpForDeletion(r.topic));
    await this.replicaStateMachine.handleStateChanges(deleted, 'ReplicaDeletionSuccessful');
    await this.#resumeDeletions();
  }

  markTopicIneligibleForDeletion(topics: Iterable<string>): void {
    if (!this.client.deleteTopicEnabled()) return;
    for (const topic of topics) if (this.context.topicsToBeDeleted.has(topic)) this.context.topicsIneligibleForDeletion.add(topic);
  }

  isTopicQueuedUpForDeletion(topic: string): boolean {
    return this.client.deleteTopicEnabled() && this.context.isTopicQueuedUpForDeletion(topic);
  }

  #isEligible(topic: string): boolean {
    return (
      this.context.isTopicQueuedUpForDeletion(topic) &&
      !this.context.isAnyReplicaInState(topic, 'ReplicaDeletionStarted') &&
      !this.context.topicsIneligibleForDeletion.has(topic)
    );
  }

  async #resumeDeletions(): Promise<void> {
    const { context } = this;
    const retry: string[] = [];
    const eligible: string[] = [];
    for (const topic of [...context.topicsToBeDeleted]) {
      if (context.areAllReplicasInState(topic, 'ReplicaDeletionSuccessful')) {
        await this.#completeDeleteTopic(topic);
      } else if (
        !context.isAnyReplicaInState(topic, 'ReplicaDeletionStarted') &&
        context.isAnyReplicaInState(topic, 'ReplicaDeletionIneligible')
      ) {
        retry.push(topic);
      }
      if (this.#isEligible(topic)) eligible.push(topic);
    }
    if (retry.length > 0) {
      // Failed replicas start over from OfflineReplica.
      const failed = retry.flatMap((t) => context.replicasInState(t, 'ReplicaDeletionIneligible'));
      await this.replicaStateMachine.handleStateChanges(failed, 'OfflineReplica');
    }
    if (eligible.length > 0) await this.#onTopicDeletion(eligible);
  }

  async #completeDeleteTopic(topic: string): Promise<void> {
    this.client.mutePartitionModifications(topic);
    await this.replicaStateMachine.handleStateChanges(
      this.context.replicasInState(topic, 'ReplicaDeletionSuccessful'),
      'NonExistentReplica',
    );
    await this.client.deleteTopic(topic);
    this.context.removeTopic(topic);
  }

  async #onTopicDeletion(topics: readonly string[]): Promise<void> {
    const { context } = this;
    const unseen = topics.filter((t) => !context.topicsWithDeletionStarted.has(t));
    if (unseen.length > 0) {
      const partitions = unseen.flatMap((t) => context.partitionsForTopic(t));
      await this.partitionStateMachine.handleStateChanges(partitions, 'OfflinePartition');
      await this.partitionStateMachine.handleStateChanges(partitions, 'NonExistentPartition');
      for (const topic of unseen) context.topicsWithDeletionStarted.add(topic);
    }
    // UpdateMetadata with leader -2 makes brokers stop serving the topics.
    this.client.sendMetadataUpdate(topics.flatMap((t) => context.partitionsForTopic(t)));
    await this.#onPartitionDeletion(topics);
  }

  async #onPartitionDeletion(topics: readonly string[]): Promise<void> {
    const { context } = this;
    const dead: PartitionReplica[] = [];
    const retry: PartitionReplica[] = [];
    const ineligible: string[] = [];
    for (const topic of topics) {
      const replicas = context.replicasForTopic(topic);
      const deadOfTopic = replicas.filter((r) => !context.isReplicaOnline(r.replica, r));
      dead.push(...deadOfTopic);
      retry.push(
        ...replicas.filter((r) => context.isReplicaOnline(r.replica, r) && context.replicaState(r) !== 'ReplicaDeletionSuccessful'),
      );
      if (deadOfTopic.length > 0) ineligible.push(topic);
    }
    await this.replicaStateMachine.handleStateChanges(dead, 'ReplicaDeletionIneligible');
    // StopReplica without delete first, so followers stop fetching, then with delete.
    await this.replicaStateMachine.handleStateChanges(retry, 'OfflineReplica');
    await this.replicaStateMachine.handleStateChanges(retry, 'ReplicaDeletionStarted');
    if (ineligible.length > 0) this.markTopicIneligibleForDeletion(ineligible);
  }
}
