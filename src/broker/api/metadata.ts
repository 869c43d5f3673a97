import { CLUSTER_NAME } from '../../protocol/acl.js';
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
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { TopicRecord } from '../metadata/topic-record.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler, RequestContext } from './handler.js';
import { offlineReplicas, partitionView, topicView } from './topic-view.js';

/**
 * Metadata v8-10 and DescribeCluster asked for the cluster's authorized operations: the
 * principal's, or 0 without DESCRIBE on the cluster (Kafka's AuthHelper).
 */
export function clusterAuthorizedOperations(ctx: RequestContext): number {
  return ctx.authorize('DESCRIBE', 'CLUSTER', CLUSTER_NAME) ? ctx.authorizedOperations('CLUSTER', CLUSTER_NAME) : 0;
}

/**
 * Metadata v0-12: the live brokers (each at its address on the listener the client used), the
 * cluster id, the controller, and the topics asked for (all: null, or an empty list in v0). A
 * missing topic is created when auto.create.topics.enable and the request allow it, and answered
 * with its partitions once they have leaders (at once on a single broker). Internal topics are
 * left to their coordinators.
 */
export function metadataHandler(broker: BrokerContext): Handler<typeof ApiKey.Metadata> {
  return async (request, ctx) => {
    const config = broker.config();
    const all = request.topics === null || (ctx.apiVersion === 0 && request.topics.length === 0);
    const autoCreate = config.values['auto.create.topics.enable'] && request.allowAutoTopicCreation;
    const topics: MetadataResponseTopic[] = [];
    if (all) {
      // Only the topics the principal may DESCRIBE are listed.
      for (const topic of broker.metadata.topics()) {
        if (ctx.authorize('DESCRIBE', 'TOPIC', topic.name)) topics.push(describeTopic(broker, topic));
      }
    } else {
      for (const wanted of request.topics!) topics.push(await lookUp(broker, wanted, autoCreate, ctx));
    }
    if (request.includeTopicAuthorizedOperations) {
      // Every topic answered but those refused (their existence is not disclosed).
      for (const topic of topics) {
        if (topic.errorCode !== ErrorCode.TOPIC_AUTHORIZATION_FAILED)
          topic.topicAuthorizedOperations = ctx.authorizedOperations('TOPIC', topic.name!);
      }
    }
    return {
      ...defaultMetadataResponse(),
      brokers: reachableBrokers(broker.metadata, ctx.connection.listenerName).map(({ id, host, port, rack }) => ({
        nodeId: id,
        host,
        port,
        rack,
      })),
      clusterId: broker.clusterId,
      controllerId: broker.metadata.controllerId,
      topics,
      ...(request.includeClusterAuthorizedOperations ? { clusterAuthorizedOperations: clusterAuthorizedOperations(ctx) } : {}),
    };
  };
}

/** The live brokers that have the listener a client came in on, at their address there (Kafka leaves the others out). */
export function reachableBrokers(
  metadata: MetadataCache,
  listenerName: string,
): { id: number; host: string; port: number; rack: string | null }[] {
  return metadata.liveBrokers().flatMap((b) => {
    const endpoint = b.endpoints.find((e) => e.listenerName === listenerName);
    return endpoint ? [{ id: b.id, host: endpoint.host, port: endpoint.port, rack: b.rack }] : [];
  });
}

/**
 * A named topic: TOPIC_AUTHORIZATION_FAILED unless the principal may DESCRIBE it (whether it
 * exists or not, so that existence does not leak); auto-creation needs CREATE on the cluster or the topic.
 */
async function lookUp(
  broker: BrokerContext,
  wanted: MetadataRequestTopic,
  autoCreate: boolean,
  ctx: RequestContext,
): Promise<MetadataResponseTopic> {
  const version = ctx.apiVersion;
  const name = wanted.name ?? broker.metadata.topicById(wanted.topicId)?.name;
  if (name !== undefined && !ctx.authorize('DESCRIBE', 'TOPIC', name))
    return failed(wanted.name, wanted.topicId, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  if (wanted.name === null) {
    // Before v12 a response topic has no room for a missing name; Kafka refuses ids there too.
    if (version < 12) return failed('', wanted.topicId, ErrorCode.INVALID_REQUEST);
    const topic = broker.metadata.topicById(wanted.topicId);
    return topic ? describeTopic(broker, topic) : failed(null, wanted.topicId, ErrorCode.UNKNOWN_TOPIC_ID);
  }
  const existing = broker.metadata.topic(wanted.name);
  if (existing) return describeTopic(broker, existing);
  try {
    validateTopicName(wanted.name);
  } catch (err) {
    return failed(wanted.name, wanted.topicId, toApiError(err).code);
  }
  if (!autoCreate || INTERNAL_TOPICS.has(wanted.name)) return failed(wanted.name, wanted.topicId, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (!ctx.authorize('CREATE', 'CLUSTER', CLUSTER_NAME) && !ctx.authorize('CREATE', 'TOPIC', wanted.name)) {
    return failed(wanted.name, wanted.topicId, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  }
  try {
    const newTopic = { name: wanted.name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] };
    return describeTopic(broker, await broker.topicAdmin.createTopic(newTopic, false));
  } catch (err) {
    // A concurrent request may have created it first.
    const raced = broker.metadata.topic(wanted.name);
    return raced ? describeTopic(broker, raced) : failed(wanted.name, wanted.topicId, toApiError(err).code);
  }
}

function describeTopic(broker: BrokerContext, topic: TopicRecord): MetadataResponseTopic {
  return {
    ...defaultMetadataResponseTopic(),
    ...topicView(topic),
    partitions: topic.partitions.map((p): MetadataResponsePartition => {
      const view = partitionView(p, offlineReplicas(broker, topic.name, p.partition));
      return { errorCode: view.leaderId < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE, ...view };
    }),
  };
}

function failed(name: string | null, topicId: string, errorCode: number): MetadataResponseTopic {
  return { ...defaultMetadataResponseTopic(), name, topicId, errorCode };
}
