import { ErrorCode, errorName } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type {
  AlterPartitionRequest,
  AlterPartitionRequestTopicData,
  AlterPartitionResponse,
} from '../../protocol/generated/apis/alter-partition.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { topicPartitionKey } from '../log/log-file-names.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { IsrChange } from '../partition/isr-state.js';
import type { Partition } from '../partition/partition.js';
import type { BrokerLink } from './broker-link.js';

/** AlterPartition v2+ names topics by id; v3 carries broker epochs (-1 from a ZooKeeper-mode broker). */
const TOPIC_IDS_VERSION = 2;
const BROKER_EPOCHS_VERSION = 3;
/** Kafka's AlterPartitionManager retries top-level errors after this. */
const RETRY_MS = 50;

interface PendingChange {
  partition: Partition;
  topicId: string;
  change: IsrChange;
}

export interface IsrChangeSenderOptions {
  localBrokerId: number;
  brokerEpoch(): bigint;
  metadata: MetadataCache;
  /** Opens a connection to a broker's inter-broker listener. */
  connect(brokerId: number): Promise<BrokerLink>;
  log(level: 'info' | 'warn', message: string): void;
}

/**
 * The leader side of ISR changes (Kafka's AlterPartitionManager): changes queue per partition
 * (one in flight each), go to the controller in one AlterPartition at a time, and each answer is
 * handed to its partition, which commits, reverts, waits for the next LeaderAndIsr, or asks for a retry.
 */
export class IsrChangeSender {
  readonly #queued = new Map<string, PendingChange>();
  #inFlight = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #link: { controllerId: number; link: BrokerLink } | undefined;

  constructor(private readonly options: IsrChangeSenderOptions) {}

  submit(partition: Partition, change: IsrChange): void {
    const topicId = this.options.metadata.topic(partition.topicPartition.topic)?.topicId ?? ZERO_UUID;
    this.#queued.set(topicPartitionKey(partition.topicPartition), { partition, topicId, change });
    this.#maybeSend();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#queued.clear();
    this.#link?.link.close();
  }

  /** The connection to the controller, reopened when it failed or the controller moved. */
  async #controllerLink(controllerId: number): Promise<BrokerLink> {
    if (this.#link && (this.#link.controllerId !== controllerId || this.#link.link.failed)) {
      this.#link.link.close();
      this.#link = undefined;
    }
    if (!this.#link) {
      const link = await this.options.connect(controllerId);
      // Closed while connecting: the connection must not outlive the sender.
      if (this.#closed) {
        link.close();
        throw new Error('the broker is stopping');
      }
      this.#link = { controllerId, link };
    }
    return this.#link.link;
  }

  #maybeSend(): void {
    if (this.#inFlight || this.#closed || this.#queued.size === 0 || this.#timer) return;
    const batch = [...this.#queued.values()];
    this.#queued.clear();
    this.#inFlight = true;
    void this.#send(batch).finally(() => {
      this.#inFlight = false;
      this.#maybeSend();
    });
  }

  async #send(batch: PendingChange[]): Promise<void> {
    const controllerId = this.options.metadata.controllerId;
    let response: AlterPartitionResponse;
    let version: number | undefined;
    try {
      if (controllerId < 0) throw new Error('no controller is known');
      const link = await this.#controllerLink(controllerId);
      version = link.versionOf(ApiKey.AlterPartition, BROKER_EPOCHS_VERSION);
      if (version === undefined) throw new Error(`the controller (broker ${controllerId}) serves no AlterPartition version kts speaks`);
      const body = buildRequest({ brokerId: this.options.localBrokerId, brokerEpoch: this.options.brokerEpoch(), batch, version });
      response = await link.request(ApiKey.AlterPartition, body, version);
    } catch (err) {
      this.options.log('warn', `Could not send ISR changes to the controller: ${(err as Error).message}; retrying`);
      return this.#retry(batch);
    }
    if (response.errorCode !== ErrorCode.NONE) {
      this.options.log('info', `The controller refused ISR changes with ${errorName(response.errorCode) ?? response.errorCode}; retrying`);
      return this.#retry(batch);
    }
    const answered = new Map<string, (typeof response.topics)[number]['partitions'][number]>();
    for (const topic of response.topics) {
      for (const p of topic.partitions)
        answered.set(`${version! >= TOPIC_IDS_VERSION ? topic.topicId : topic.topicName}:${p.partitionIndex}`, p);
    }
    const retries: PendingChange[] = [];
    for (const pending of batch) {
      const { topic, partition } = pending.partition.topicPartition;
      const p = answered.get(`${version >= TOPIC_IDS_VERSION ? pending.topicId : topic}:${partition}`);
      const answer = !p
        ? { error: 'UNKNOWN_TOPIC_OR_PARTITION' }
        : p.errorCode !== ErrorCode.NONE
          ? { error: errorName(p.errorCode) ?? 'UNKNOWN_SERVER_ERROR' }
          : { isr: p.isr, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch };
      if (pending.partition.onIsrChangeAnswered(pending.change, answer) === 'retry') retries.push(pending);
    }
    if (retries.length > 0) this.#retry(retries);
  }

  /** Queues the changes again (unless newer ones for the same partitions arrived) after Kafka's 50 ms. */
  #retry(batch: readonly PendingChange[]): void {
    for (const pending of batch) {
      const key = topicPartitionKey(pending.partition.topicPartition);
      if (!this.#queued.has(key)) this.#queued.set(key, pending);
    }
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#maybeSend();
    }, RETRY_MS);
  }
}

function buildRequest(input: {
  brokerId: number;
  brokerEpoch: bigint;
  batch: readonly PendingChange[];
  version: number;
}): AlterPartitionRequest {
  const topics = new Map<string, AlterPartitionRequestTopicData>();
  for (const { partition, topicId, change } of input.batch) {
    const { topic, partition: index } = partition.topicPartition;
    let data = topics.get(topic);
    if (!data) topics.set(topic, (data = { topicName: topic, topicId, partitions: [] }));
    data.partitions.push({
      partitionIndex: index,
      leaderEpoch: change.leaderEpoch,
      newIsr: input.version < BROKER_EPOCHS_VERSION ? [...change.isr] : [],
      newIsrWithEpochs: input.version >= BROKER_EPOCHS_VERSION ? change.isr.map((brokerId) => ({ brokerId, brokerEpoch: -1n })) : [],
      leaderRecoveryState: 0,
      partitionEpoch: change.partitionEpoch,
    });
  }
  return { brokerId: input.brokerId, brokerEpoch: input.brokerEpoch, topics: [...topics.values()] };
}
