import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultCreateTopicsResponse,
  defaultCreateTopicsResponseCreatableTopicResult,
  type CreateTopicsRequestCreatableTopic,
  type CreateTopicsResponseCreatableTopicResult,
} from '../../protocol/generated/apis/create-topics.js';
import { checkCreateTopicsPartitions } from '../admin/partition-limit.js';
import { toApiError } from '../api-error.js';
import { CONFIG_SOURCE_CODE, describeTopicConfigs } from '../config/describe-configs.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * CreateTopics v0-7: each topic on its own (validate_only from v1), with the broker defaults for
 * -1 partitions / replication factor (v4+). From v5 a created topic is answered with its
 * partitions, replication factor and configs; from v7 with its id. A name given twice fails both;
 * a request for too many partitions in all fails every topic.
 */
export function createTopicsHandler(broker: BrokerContext): Handler<typeof ApiKey.CreateTopics> {
  return async (request, ctx) => {
    try {
      checkCreateTopicsPartitions(request.topics, broker.config().values['num.partitions']);
    } catch (err) {
      const error = toApiError(err);
      return { ...defaultCreateTopicsResponse(), topics: request.topics.map((t) => failed(t.name, error.code, error.message)) };
    }
    // CREATE on the cluster allows every topic; else CREATE on each topic is needed.
    const onCluster = ctx.authorize('CREATE', 'CLUSTER', CLUSTER_NAME);
    const mayCreate = (name: string) => onCluster || ctx.authorize('CREATE', 'TOPIC', name);
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const topics: CreateTopicsResponseCreatableTopicResult[] = [];
    for (const t of request.topics) {
      if (counts.get(t.name)! > 1) topics.push(failed(t.name, ErrorCode.INVALID_REQUEST, 'Found multiple entries for this topic.'));
      else if (!mayCreate(t.name)) topics.push(failed(t.name, ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.'));
      else topics.push(await create(broker, t, request.validateOnly));
    }
    return { ...defaultCreateTopicsResponse(), topics };
  };
}

async function create(
  broker: BrokerContext,
  t: CreateTopicsRequestCreatableTopic,
  validateOnly: boolean,
): Promise<CreateTopicsResponseCreatableTopicResult> {
  try {
    const topic = await broker.topicAdmin.createTopic(
      {
        name: t.name,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        assignments: t.assignments,
        configs: t.configs.map((c) => [c.name, c.value] as const),
      },
      validateOnly,
    );
    const configs = describeTopicConfigs(broker.config(), new Map(Object.entries(topic.configs)), {
      names: null,
      includeSynonyms: false,
      includeDocumentation: false,
    });
    return {
      ...defaultCreateTopicsResponseCreatableTopicResult(),
      name: t.name,
      topicId: validateOnly ? defaultCreateTopicsResponseCreatableTopicResult().topicId : topic.topicId,
      errorMessage: null,
      numPartitions: topic.partitions.length,
      replicationFactor: topic.partitions[0]?.replicas.length ?? -1,
      configs: configs.map((c) => ({
        name: c.name,
        value: c.value,
        readOnly: c.readOnly,
        configSource: CONFIG_SOURCE_CODE[c.source],
        isSensitive: c.isSensitive,
      })),
    };
  } catch (err) {
    const error = toApiError(err);
    return failed(t.name, error.code, error.message);
  }
}

function failed(name: string, errorCode: number, errorMessage: string): CreateTopicsResponseCreatableTopicResult {
  return { ...defaultCreateTopicsResponseCreatableTopicResult(), name, errorCode, errorMessage };
}
