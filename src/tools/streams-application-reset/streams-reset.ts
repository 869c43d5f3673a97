import { KtsError } from '../../util/errors.js';
import type { ConnectOptions } from '../../client/connect-options.js';
import { withVersionedCluster, type VersionedCluster } from '../../client/versioned-cluster.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { CoordinatorRequests } from '../consumer-groups/coordinator-requests.js';
import { kafkaErrorMessage } from '../consumer-groups/kafka-errors.js';
import { planReset, type PartitionFacts, type PlanStrategy, type ResetWording } from '../consumer-groups/reset-plan.js';
import { partitionKey, type TopicPartition } from '../consumer-groups/topic-partitions.js';
import { fetchOffsets } from '../get-offsets/get-offsets.js';
import type { OffsetSpec } from '../get-offsets/offset-spec.js';
import { isInternalTopic } from '../common/topic-filter.js';

/** Where input topics go: Kafka's reset options, with `--to-datetime`/`--by-duration` already a timestamp. */
export type StreamsResetStrategy =
  | { kind: 'to-earliest' | 'to-latest' }
  | { kind: 'to-offset'; offset: number }
  | { kind: 'shift-by'; shift: number }
  | { kind: 'timestamp'; timestamp: number }
  | { kind: 'from-file'; offsets: ReadonlyMap<string, number> };

export interface StreamsResetJob {
  applicationId: string;
  inputTopics: readonly string[];
  intermediateTopics: readonly string[];
  internalTopics: readonly string[];
  strategy: StreamsResetStrategy;
  dryRun: boolean;
  force: boolean;
  /** auto.offset.reset of the client properties: where shift-by starts from without a committed offset. */
  offsetReset: 'earliest' | 'latest';
  connect: ConnectOptions;
  print: (line: string) => void;
}

/** StreamsResetter's words for clamped offsets and empty partitions. */
const STREAMS_WORDING: ResetWording = {
  aboveEnd: (_tp, offset, end) => `New offset (${offset}) is higher than latest offset. Value will be set to ${end}`,
  belowStart: (_tp, offset, start) => `New offset (${offset}) is lower than earliest offset. Value will be set to ${start}`,
  noRecordAtTime: (tp) =>
    `Partition ${tp.partition} from topic ${tp.topic} is empty, without a committed record. Falling back to latest known offset.`,
  boundsInclusive: true,
};

/** Topics Kafka Streams creates for an application, by their name endings (StreamsResetter.matchesInternalTopicFormat). */
const INTERNAL_TOPIC_FORMAT =
  /(-changelog|-repartition|-subscription-registration-topic|-subscription-response-topic)$|^.+-KTABLE-FK-JOIN-SUBSCRIPTION-(REGISTRATION|RESPONSE)-\d+-topic$/;

/**
 * StreamsResetter on kts's client: the application's consumer group (its application.id) must
 * have no members (`--force` removes them); its committed offsets of the input topics move as the
 * strategy says (earliest by default) and those of intermediate topics to their end; the internal
 * topics Kafka Streams made for it (`<application.id>-…-changelog`, `-repartition`, …) are deleted.
 * Returns the exit code: 1 when an input or intermediate topic does not exist.
 */
export async function resetStreamsApplication(job: StreamsResetJob): Promise<number> {
  return withVersionedCluster(job.connect, async (cluster) => {
    const requests = new CoordinatorRequests(async () => cluster.bootstrap.address, cluster.connectionOptions);
    await removeActiveMembers(job, requests);
    const metadata = await cluster.metadata(null);
    const allTopics = metadata.topics.flatMap((t) => (t.name !== null && !t.isInternal && !isInternalTopic(t.name) ? [t.name] : []));
    if (job.dryRun) job.print('----Dry run displays the actions which will be performed when running Streams Reset Tool----');
    const code = await resetOffsets(job, cluster, requests, allTopics);
    await deleteInternalTopics(job, cluster, allTopics);
    return code;
  });
}

async function removeActiveMembers(job: StreamsResetJob, requests: CoordinatorRequests): Promise<void> {
  const [described] = await requests.describe([job.applicationId]);
  const members = described?.group.members ?? [];
  if (members.length === 0) return;
  if (!job.force) {
    const list = members
      .map((m) => `(memberId=${m.memberId}, groupInstanceId=${m.groupInstanceId ?? 'null'}, clientId=${m.clientId}, host=${m.clientHost})`)
      .join(', ');
    throw new KtsError(
      `ERROR: Consumer group '${job.applicationId}' is still active and has following members: [${list}]. ` +
        'Make sure to stop all running application instances before running the reset tool. ' +
        "You can use option '--force' to remove active members from the group.",
    );
  }
  job.print(`Force deleting all active members in the group: ${job.applicationId}`);
  await requests.removeMembers(
    job.applicationId,
    members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId })),
  );
}

/** maybeResetInputAndSeekToEndIntermediateTopicOffsets. */
async function resetOffsets(
  job: StreamsResetJob,
  cluster: VersionedCluster,
  requests: CoordinatorRequests,
  allTopics: readonly string[],
): Promise<number> {
  const { inputTopics, intermediateTopics, print } = job;
  if (inputTopics.length === 0 && intermediateTopics.length === 0) {
    print('No input or intermediate topics specified. Skipping seek.');
    return 0;
  }
  if (inputTopics.length > 0) print(`Reset-offsets for input topics [${inputTopics.join(', ')}]`);
  if (intermediateTopics.length > 0) print(`Seek-to-end for intermediate topics [${intermediateTopics.join(', ')}]`);
  const existing = new Set(allTopics);
  const missingInput = inputTopics.filter((t) => !existing.has(t));
  const missingIntermediate = intermediateTopics.filter((t) => !existing.has(t));
  if (missingInput.length > 0) {
    print('Following input topics are not found, skipping them');
    for (const t of missingInput) print(`Topic: ${t}`);
  }
  if (missingIntermediate.length > 0) {
    print('Following intermediate topics are not found, skipping them');
    for (const t of missingIntermediate) print(`Topic:${t}`);
  }
  const code = missingInput.length + missingIntermediate.length > 0 ? 1 : 0;
  const wanted = new Set([...inputTopics, ...intermediateTopics].filter((t) => existing.has(t)));
  if (wanted.size === 0) return code;

  const partitions: TopicPartition[] = [];
  for (const t of (await cluster.metadata([...wanted])).topics)
    for (const p of t.partitions) if (t.name !== null) partitions.push({ topic: t.name, partition: p.partitionIndex });
  partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  const input = partitions.filter((p) => inputTopics.includes(p.topic));
  const intermediate = partitions.filter((p) => !inputTopics.includes(p.topic));

  const positions = new Map<string, number>();
  const { strategy } = job;
  const unplanned = strategy.kind === 'from-file' ? input.find((p) => !strategy.offsets.has(partitionKey(p))) : undefined;
  if (unplanned !== undefined) throw new KtsError(`ERROR: the reset plan has no offset for ${unplanned.topic}-${unplanned.partition}`);
  if (input.length > 0) {
    print(`Following input topics offsets will be reset to (for consumer group ${job.applicationId})`);
    const plan = planReset(planStrategy(strategy), input, await factsOf(job, cluster, requests, input), STREAMS_WORDING);
    for (const w of plan.warnings) print(w);
    for (const p of plan.offsets) {
      positions.set(partitionKey(p), p.offset);
      print(`Topic: ${p.topic} Partition: ${p.partition} Offset: ${p.offset}`);
    }
  }
  if (intermediate.length > 0) {
    print(`Following intermediate topics offsets will be reset to end (for consumer group ${job.applicationId})`);
    const ends = await offsetsOf(cluster, intermediate, { kind: 'latest' });
    for (const p of intermediate) {
      print(`Topic: ${p.topic}`);
      positions.set(partitionKey(p), ends.get(partitionKey(p))!);
    }
  }
  if (!job.dryRun) {
    await requests.commit(
      job.applicationId,
      partitions.map((p) => ({ ...p, offset: positions.get(partitionKey(p))! })),
    );
  }
  print('Done.');
  return code;
}

function planStrategy(s: StreamsResetStrategy): PlanStrategy {
  switch (s.kind) {
    case 'timestamp':
      return { kind: 'timestamp' };
    case 'from-file':
      return { kind: 'requested', offsets: s.offsets };
    default:
      return s;
  }
}

/** What planReset needs: the log's range, the committed offsets (shift-by), and the offsets at the reset time. */
async function factsOf(
  job: StreamsResetJob,
  cluster: VersionedCluster,
  requests: CoordinatorRequests,
  partitions: readonly TopicPartition[],
): Promise<(tp: TopicPartition) => PartitionFacts> {
  const [starts, ends] = await Promise.all([
    offsetsOf(cluster, partitions, { kind: 'earliest' }),
    offsetsOf(cluster, partitions, { kind: 'latest' }),
  ]);
  const { strategy } = job;
  const committed = strategy.kind === 'shift-by' ? await requests.committed(job.applicationId, partitions) : new Map<string, number>();
  const atTime =
    strategy.kind === 'timestamp'
      ? await offsetsOf(cluster, partitions, { kind: 'timestamp', ms: BigInt(strategy.timestamp) })
      : new Map<string, number>();
  return (tp) => {
    const key = partitionKey(tp);
    const logStart = starts.get(key);
    const logEnd = ends.get(key);
    // Kafka's consumer position: the committed offset, else where auto.offset.reset puts it.
    const position = committed.get(key) ?? (job.offsetReset === 'earliest' ? logStart : logEnd);
    return {
      ...(logStart !== undefined ? { logStart } : {}),
      ...(logEnd !== undefined ? { logEnd } : {}),
      ...(position !== undefined ? { committed: position } : {}),
      ...(atTime.has(key) ? { atTimestamp: atTime.get(key)! } : {}),
    };
  };
}

/** ListOffsets for `partitions` through get-offsets' lookup (leaders, retries), by partitionKey. */
async function offsetsOf(cluster: VersionedCluster, partitions: readonly TopicPartition[], spec: OffsetSpec): Promise<Map<string, number>> {
  const wanted = new Set(partitions.map(partitionKey));
  const { offsets, failures } = await fetchOffsets(
    cluster,
    spec,
    {
      topicAllowed: (t) => partitions.some((p) => p.topic === t),
      partitionAllowed: (t, p) => wanted.has(partitionKey({ topic: t, partition: p })),
    },
    false,
  );
  const failed = failures[0];
  if (failed !== undefined) {
    throw new KtsError(`ERROR: could not read the offsets of ${failed.topic}-${failed.partition}: ${kafkaErrorMessage(failed.errorCode)}`);
  }
  return new Map(offsets.map((o) => [partitionKey(o), Number(o.offset)]));
}

/** maybeDeleteInternalTopics: the inferred ones, or the `--internal-topics` subset of them. */
async function deleteInternalTopics(job: StreamsResetJob, cluster: VersionedCluster, allTopics: readonly string[]): Promise<void> {
  const inferred = allTopics.filter(
    (t) =>
      !job.inputTopics.includes(t) &&
      !job.intermediateTopics.includes(t) &&
      t.startsWith(`${job.applicationId}-`) &&
      INTERNAL_TOPIC_FORMAT.test(t),
  );
  let toDelete: readonly string[];
  if (job.internalTopics.length > 0) {
    if (!job.internalTopics.every((t) => inferred.includes(t))) {
      throw new KtsError(
        'ERROR: Invalid topic specified in the --internal-topics option. Ensure that the topics specified are all internal topics. ' +
          'Do a dry run without the --internal-topics option to see the list of all internal topics that can be deleted.',
      );
    }
    toDelete = job.internalTopics;
    job.print(`Deleting specified internal topics [${toDelete.join(', ')}]`);
  } else {
    toDelete = inferred;
    job.print(`Deleting inferred internal topics [${toDelete.join(', ')}]`);
  }
  if (!job.dryRun && toDelete.length > 0) await deleteTopics(cluster, toDelete);
  job.print('Done.');
}

/** DeleteTopics by name at the controller; any failure is Kafka's "Encountered an error deleting one or more topics". */
async function deleteTopics(cluster: VersionedCluster, topics: readonly string[]): Promise<void> {
  const { controllerId, brokers } = await cluster.metadata([]);
  const node = brokers.find((b) => b.nodeId === controllerId);
  const controller = node === undefined ? cluster.bootstrap : await cluster.connection(node);
  const response = await controller.request(ApiKey.DeleteTopics, {
    topics: topics.map((name) => ({ name, topicId: ZERO_UUID })),
    topicNames: [...topics],
    timeoutMs: cluster.requestTimeoutMs,
  });
  const failed = response.responses.filter((r) => r.errorCode !== ErrorCode.NONE);
  if (failed.length > 0) {
    const detail = failed.map((r) => `${r.name}: ${r.errorMessage ?? kafkaErrorMessage(r.errorCode)}`).join('; ');
    throw new KtsError(`ERROR: Encountered an error deleting one or more topics (${detail})`);
  }
}
