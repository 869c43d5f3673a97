import type { ConnectOptions } from '../../client/connect-options.js';
import { withVersionedCluster } from '../../client/versioned-cluster.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { KtsError } from '../../util/errors.js';
import { javaExceptionClass } from '../common/kafka-exceptions.js';
import { kafkaErrorMessage } from '../consumer-groups/kafka-errors.js';
import { comparePartitions, formatPartition, type TopicPartition } from '../reassign-partitions/reassignment-json.js';

export type ElectionType = 'PREFERRED' | 'UNCLEAN';

/** Kafka's parseReplicaElectionData: `{"partitions":[{"topic":"foo","partition":1}]}`, no partition twice. */
export function parseElectionJson(text: string): TopicPartition[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KtsError(`Error: ${(err as Error).message}`);
  }
  const partitions = (json as { partitions?: unknown } | null)?.partitions;
  if (partitions === undefined) throw new KtsError('Replica election data is missing "partitions" field');
  if (!Array.isArray(partitions)) throw new KtsError('Error: "partitions" must be an array');
  const parsed = partitions.map((p: { topic?: unknown; partition?: unknown }) => {
    if (typeof p?.topic !== 'string' || !Number.isInteger(p.partition))
      throw new KtsError(`Error: expected {"topic": string, "partition": int}, got ${JSON.stringify(p)}`);
    return { topic: p.topic, partition: p.partition as number };
  });
  const names = parsed.map(formatPartition);
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (duplicates.length > 0) throw new KtsError(`Replica election data contains duplicate partitions: [${duplicates.join(', ')}]`);
  return parsed;
}

/**
 * Kafka's LeaderElectionCommand.electLeaders: ElectLeaders to the controller for the partitions
 * (null: every partition); elected partitions, those already led by a valid replica, then each
 * failure (and `<n> replica(s) could not be elected` as the error).
 */
export async function electLeaders(
  options: ConnectOptions,
  type: ElectionType,
  partitions: readonly TopicPartition[] | null,
  print: (line: string) => void,
): Promise<void> {
  const response = await withVersionedCluster(options, async (cluster) => {
    const { controllerId, brokers } = await cluster.metadata([]);
    const node = brokers.find((b) => b.nodeId === controllerId);
    const conn = node === undefined ? cluster.bootstrap : await cluster.connection(node);
    const topics = new Map<string, number[]>();
    for (const p of partitions ?? []) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition]);
    return conn.request(ApiKey.ElectLeaders, {
      electionType: type === 'PREFERRED' ? 0 : 1,
      topicPartitions: partitions === null ? null : [...topics].map(([topic, ps]) => ({ topic, partitions: ps })),
      timeoutMs: cluster.requestTimeoutMs,
    });
  });
  if (response.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED) {
    print('Not authorized to perform leader election');
    throw new KtsError('Not authorized to perform leader election');
  }
  if (response.errorCode === ErrorCode.REQUEST_TIMED_OUT) {
    print('Timeout waiting for election results');
    throw new KtsError('Timeout waiting for election results');
  }
  if (response.errorCode !== ErrorCode.NONE)
    throw new KtsError(`Error: ${javaExceptionClass(response.errorCode)}: ${kafkaErrorMessage(response.errorCode)}`);
  const results = response.replicaElectionResults
    .flatMap((t) =>
      t.partitionResult.map((p) => ({ topic: t.topic, partition: p.partitionId, errorCode: p.errorCode, message: p.errorMessage })),
    )
    .sort(comparePartitions);
  const succeeded = results.filter((r) => r.errorCode === ErrorCode.NONE);
  const noop = results.filter((r) => r.errorCode === ErrorCode.ELECTION_NOT_NEEDED);
  const failed = results.filter((r) => r.errorCode !== ErrorCode.NONE && r.errorCode !== ErrorCode.ELECTION_NOT_NEEDED);
  if (succeeded.length > 0)
    print(`Successfully completed leader election (${type}) for partitions ${succeeded.map(formatPartition).join(', ')}`);
  if (noop.length > 0) print(`Valid replica already elected for partitions ${noop.map(formatPartition).join(', ')}`);
  for (const f of failed) {
    print(
      `Error completing leader election (${type}) for partition: ${formatPartition(f)}: ${javaExceptionClass(f.errorCode)}: ${f.message ?? kafkaErrorMessage(f.errorCode)}`,
    );
  }
  if (failed.length > 0) throw new KtsError(`${failed.length} replica(s) could not be elected`);
}
