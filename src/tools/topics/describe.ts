import kafkajs, { type Admin } from 'kafkajs';
import { ensureFound, matchingTopics } from './matching-topics.js';
import type { ConfigEntry, PartitionInfo, TopicDescription } from './topic-description.js';
import type { TopicsRequest } from './topics-options.js';

export interface DescribeResult {
  topics: TopicDescription[];
  liveBrokers: Set<number>;
}

/** Gathers what TopicCommand.describeTopic prints: partitions, configs, live brokers, reassignments. */
export async function describeTopics(admin: Admin, req: TopicsRequest): Promise<DescribeResult> {
  const names = await matchingTopics(admin, req.topic, req.excludeInternal);
  ensureFound(names, req.topic, req.ifExists);
  const cluster = await admin.describeCluster();
  const liveBrokers = new Set(cluster.brokers.map((b) => b.nodeId));
  if (names.length === 0) return { topics: [], liveBrokers };

  const [{ topics: metadata }, configs, reassignments] = await Promise.all([
    admin.fetchTopicMetadata({ topics: names }),
    admin.describeConfigs({
      resources: names.map((name) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name })),
      includeSynonyms: false,
    }),
    reassignmentsOf(admin),
  ]);
  const configsByTopic = new Map(
    configs.resources.map((r) => [
      r.resourceName,
      r.configEntries.map((e): ConfigEntry => ({ name: e.configName, value: e.configValue, isDefault: e.isDefault })),
    ]),
  );
  const byName = new Map(metadata.map((t) => [t.name, t]));
  const topics = names.flatMap((name): TopicDescription[] => {
    const t = byName.get(name);
    if (t === undefined) return [];
    const partitions = t.partitions.map(
      (p): PartitionInfo => ({
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        ...withReassignment(reassignments.get(`${name}:${p.partitionId}`)),
      }),
    );
    return [{ name, partitions, configs: configsByTopic.get(name) ?? [] }];
  });
  return { topics, liveBrokers };
}

type Reassignment = NonNullable<PartitionInfo['reassignment']>;

function withReassignment(r: Reassignment | undefined): { reassignment?: Reassignment } {
  return r === undefined ? {} : { reassignment: r };
}

/**
 * Reassignments in progress, keyed `topic:partition`. Like Kafka, a cluster that cannot answer
 * (older broker, no permission) just means none are shown.
 */
async function reassignmentsOf(admin: Admin): Promise<Map<string, Reassignment>> {
  const out = new Map<string, Reassignment>();
  try {
    const { topics } = await admin.listPartitionReassignments({});
    for (const t of topics) {
      for (const p of t.partitions) {
        out.set(`${t.topic}:${p.partitionIndex}`, { addingReplicas: p.addingReplicas ?? [], removingReplicas: p.removingReplicas ?? [] });
      }
    }
  } catch (err) {
    if (!isUnsupported(err)) throw err;
  }
  return out;
}

function isUnsupported(err: unknown): boolean {
  const e = err as { type?: string; name?: string };
  return (
    e.type === 'UNSUPPORTED_VERSION' ||
    e.type === 'CLUSTER_AUTHORIZATION_FAILED' ||
    e.name === 'KafkaJSNotImplemented' ||
    e.name === 'KafkaJSServerDoesNotSupportApiKey'
  );
}
