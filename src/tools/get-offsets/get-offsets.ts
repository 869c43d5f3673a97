import type { Admin } from 'kafkajs';
import { CliError } from '../../cli/errors.js';
import { filterTopics } from '../common/topic-filter.js';
import type { OffsetSpec } from './offset-spec.js';
import type { TopicPartitionFilter } from './partition-filter.js';
import { sortLikeKafka, type PartitionOffset } from './partition-offsets.js';

/**
 * GetOffsetShell.fetchOffsets: the offset `spec` names for every matching partition, sorted as
 * Kafka sorts them. Partitions without such an offset (a timestamp after the last record) are
 * left out, as Kafka does.
 */
export async function fetchOffsets(
  admin: Admin,
  spec: OffsetSpec,
  filter: TopicPartitionFilter,
  excludeInternal: boolean,
): Promise<PartitionOffset[]> {
  if (spec.kind !== 'latest' && spec.kind !== 'earliest' && spec.kind !== 'timestamp') {
    // These need ListOffsets v7+ (KIP-734, KIP-405); kafkajs stops at v3.
    throw new CliError(`Error occurred: --time ${spec.kind} is not supported by kts's Kafka client (kafkajs)`);
  }
  const topics = filterTopics(await admin.listTopics(), undefined, excludeInternal).filter((t) => filter.topicAllowed(t));
  const out: PartitionOffset[] = [];
  let matched = 0;
  for (const topic of topics) {
    const ranges = await admin.fetchTopicOffsets(topic);
    const wanted = ranges.filter((r) => filter.partitionAllowed(topic, r.partition));
    matched += wanted.length;
    if (wanted.length === 0) continue;
    if (spec.kind === 'timestamp') {
      const found = await admin.fetchTopicOffsetsByTimestamp(topic, spec.ms);
      for (const r of wanted) {
        const offset = found.find((f) => f.partition === r.partition)?.offset;
        // kafkajs reports "no such offset" as the high watermark; Kafka leaves the partition out.
        if (offset !== undefined && offset !== r.high) out.push({ topic, partition: r.partition, offset });
      }
    } else {
      for (const r of wanted) out.push({ topic, partition: r.partition, offset: spec.kind === 'latest' ? r.high : r.low });
    }
  }
  if (matched === 0) throw new CliError('Error occurred: Could not match any topic-partitions with the specified filters');
  return sortLikeKafka(out);
}
