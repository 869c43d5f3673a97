import type { VersionedConnection } from '../../client/versioned-connection.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { describesWithTopicPartitions, describeTopicPartitions } from './describe-topic-partitions.js';
import { selectTopics, type ClusterTopic } from './matching-topics.js';
import type { ConfigEntry, PartitionInfo, TopicDescription } from './topic-description.js';
import { throwIfFailed } from './topic-errors.js';
import type { TopicsCluster } from './topics-cluster.js';
import type { TopicsRequest } from './topics-options.js';

export interface DescribeResult {
  topics: TopicDescription[];
  liveBrokers: Set<number>;
}

const TOPIC_RESOURCE = 2;
/** DescribeConfigs v1+ source code of a value nobody set. */
const DEFAULT_CONFIG_SOURCE = 5;
/** Errors after which Kafka shows no reassignments rather than failing (older broker, no permission). */
const NO_REASSIGNMENTS: ReadonlySet<number> = new Set([ErrorCode.UNSUPPORTED_VERSION, ErrorCode.CLUSTER_AUTHORIZATION_FAILED]);

type Reassignment = NonNullable<PartitionInfo['reassignment']>;

/** A partition as either source describes it; the ELR lists only DescribeTopicPartitions has. */
interface SourcePartition {
  partitionIndex: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  eligibleLeaderReplicas?: number[] | null;
  lastKnownElr?: number[] | null;
}

/**
 * Gathers what TopicCommand.describeTopic prints: ids, partitions, configs, live brokers,
 * reassignments. Topics are chosen from Metadata; their partitions come from DescribeTopicPartitions
 * where Kafka's admin client would use it.
 */
export async function describeTopics(cluster: TopicsCluster, req: TopicsRequest): Promise<DescribeResult> {
  const metadata = await cluster.metadata();
  const selected = selectTopics(metadata, req);
  const liveBrokers = new Set(metadata.brokers.map((b) => b.nodeId));
  if (selected.length === 0) return { topics: [], liveBrokers };

  const [partitions, configs, reassignments] = await Promise.all([
    partitionsOf(cluster.bootstrap, selected, req),
    topicConfigs(
      cluster.bootstrap,
      selected.map((t) => t.name),
    ),
    cluster.controller(metadata).then((controller) => reassignmentsOn(controller, cluster.requestTimeoutMs)),
  ]);
  const topics = selected.map(
    (t): TopicDescription => ({
      name: t.name,
      topicId: t.topicId,
      partitions: partitions.get(t.name)!.map((p): PartitionInfo => {
        const reassignment = reassignments.get(`${t.name}:${p.partitionIndex}`);
        return {
          partition: p.partitionIndex,
          leader: p.leaderId,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          elr: p.eligibleLeaderReplicas ?? null,
          lastKnownElr: p.lastKnownElr ?? null,
          ...(reassignment ? { reassignment } : {}),
        };
      }),
      configs: configs.get(t.name) ?? [],
    }),
  );
  return { topics, liveBrokers };
}

async function partitionsOf(
  conn: VersionedConnection,
  selected: readonly ClusterTopic[],
  req: TopicsRequest,
): Promise<Map<string, SourcePartition[]>> {
  if (describesWithTopicPartitions(conn.versions, req.topicId !== undefined)) {
    return describeTopicPartitions(
      conn,
      selected.map((t) => t.name),
      req.partitionSizeLimitPerResponse,
    );
  }
  return new Map(selected.map((t) => [t.name, t.partitions]));
}

async function topicConfigs(conn: VersionedConnection, names: readonly string[]): Promise<Map<string, ConfigEntry[]>> {
  const response = await conn.request(ApiKey.DescribeConfigs, {
    resources: names.map((resourceName) => ({ resourceType: TOPIC_RESOURCE, resourceName, configurationKeys: null })),
    includeSynonyms: false,
    includeDocumentation: false,
  });
  const out = new Map<string, ConfigEntry[]>();
  for (const r of response.results) {
    throwIfFailed(r);
    out.set(
      r.resourceName,
      r.configs.map((c) => ({ name: c.name, value: c.value, isDefault: c.isDefault || c.configSource === DEFAULT_CONFIG_SOURCE })),
    );
  }
  return out;
}

/**
 * Reassignments in progress, keyed `topic:partition`, from the controller. Like Kafka, a cluster
 * that cannot answer (older broker, no permission) just means none are shown.
 */
async function reassignmentsOn(controller: VersionedConnection, timeoutMs: number): Promise<Map<string, Reassignment>> {
  const out = new Map<string, Reassignment>();
  if (!controller.supports(ApiKey.ListPartitionReassignments)) return out;
  const response = await controller.request(ApiKey.ListPartitionReassignments, { timeoutMs, topics: null });
  if (NO_REASSIGNMENTS.has(response.errorCode)) return out;
  throwIfFailed(response);
  for (const t of response.topics) {
    for (const p of t.partitions)
      out.set(`${t.name}:${p.partitionIndex}`, { addingReplicas: p.addingReplicas, removingReplicas: p.removingReplicas });
  }
  return out;
}
