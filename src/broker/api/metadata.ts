import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultMetadataResponse,
  defaultMetadataResponseTopic,
  type MetadataRequestTopic,
  type MetadataResponsePartition,
  type MetadataResponseTopic,
} from '../../protocol/generated/apis/metadata.js';
import { toApiError } from '../api-error.js';
import { INTERNAL_TOPICS, validateTopicName } from '../metadata/topic-name.js';
import type { TopicRecord } from '../metadata/topic-record.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';
import { ALL_TOPIC_OPERATIONS, partitionView, topicView } from './topic-view.js';

/** CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, CREATE_TOKENS, DESCRIBE_TOKENS. */
export const ALL_CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12, 13, 14].reduce((bits, op) => bits | (1 << op), 0);

/**
 * Metadata v0-12: this broker (at the address of the listener the client used), the cluster id,
 * the controller (this broker), and the topics asked for (all: null, or an empty list in v0).
 * A missing topic is created when auto.create.topics.enable and the request allow it; unlike
 * Kafka, which answers LEADER_NOT_AVAILABLE until the controller is done, it is answered at once
 * with its partitions, since creation here is complete when it returns. Internal topics are left
 * to their coordinators.
 */
export function metadataHandler(broker: BrokerContext): Handler<typeof ApiKey.Metadata> {
  return async (request, ctx) => {
    const config = broker.config();
    const endpoint = broker.advertisedEndpoint(ctx.connection.listenerName);
    const all = request.topics === null || (ctx.apiVersion === 0 && request.topics.length === 0);
    const autoCreate = config.values['auto.create.topics.enable'] && request.allowAutoTopicCreation;
    const topics: MetadataResponseTopic[] = [];
    if (all) {
      for (const topic of broker.metadata.topics()) topics.push(describeTopic(topic));
    } else {
      for (const wanted of request.topics!) topics.push(await lookUp(broker, wanted, autoCreate, ctx.apiVersion));
    }
    if (request.includeTopicAuthorizedOperations) {
      for (const topic of topics) if (topic.errorCode === ErrorCode.NONE) topic.topicAuthorizedOperations = ALL_TOPIC_OPERATIONS;
    }
    return {
      ...defaultMetadataResponse(),
      brokers: [{ nodeId: broker.brokerId, host: endpoint.host, port: endpoint.port, rack: config.values['broker.rack'] }],
      clusterId: broker.clusterId,
      controllerId: broker.brokerId,
      topics,
      ...(request.includeClusterAuthorizedOperations ? { clusterAuthorizedOperations: ALL_CLUSTER_OPERATIONS } : {}),
    };
  };
}

async function lookUp(
  broker: BrokerContext,
  wanted: MetadataRequestTopic,
  autoCreate: boolean,
  version: number,
): Promise<MetadataResponseTopic> {
  if (wanted.name === null) {
    // Before v12 a response topic has no room for a missing name; Kafka refuses ids there too.
    if (version < 12) return failed('', wanted.topicId, ErrorCode.INVALID_REQUEST);
    const topic = broker.metadata.topicById(wanted.topicId);
    return topic ? describeTopic(topic) : failed(null, wanted.topicId, ErrorCode.UNKNOWN_TOPIC_ID);
  }
  const existing = broker.metadata.topic(wanted.name);
  if (existing) return describeTopic(existing);
  try {
    validateTopicName(wanted.name);
  } catch (err) {
    return failed(wanted.name, wanted.topicId, toApiError(err).code);
  }
  if (!autoCreate || INTERNAL_TOPICS.has(wanted.name)) return failed(wanted.name, wanted.topicId, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  try {
    const newTopic = { name: wanted.name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] };
    return describeTopic(await broker.topicAdmin.createTopic(newTopic, false));
  } catch (err) {
    // A concurrent request may have created it first.
    const raced = broker.metadata.topic(wanted.name);
    return raced ? describeTopic(raced) : failed(wanted.name, wanted.topicId, toApiError(err).code);
  }
}

function describeTopic(topic: TopicRecord): MetadataResponseTopic {
  return {
    ...defaultMetadataResponseTopic(),
    ...topicView(topic),
    partitions: topic.partitions.map(
      (p): MetadataResponsePartition => ({
        errorCode: p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
        ...partitionView(p),
      }),
    ),
  };
}

function failed(name: string | null, topicId: string, errorCode: number): MetadataResponseTopic {
  return { ...defaultMetadataResponseTopic(), name, topicId, errorCode };
}
