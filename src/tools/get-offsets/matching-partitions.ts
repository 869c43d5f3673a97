import type { MetadataResponse } from '../../protocol/generated/apis/metadata.js';
import { filterTopics } from '../common/topic-filter.js';
import type { TopicPartitionFilter } from './partition-filter.js';
import type { TopicPartition } from './partition-offsets.js';

/** GetOffsetShell.listPartitionInfos: every partition of the topics the filters let through. */
export function matchingPartitions(metadata: MetadataResponse, filter: TopicPartitionFilter, excludeInternal: boolean): TopicPartition[] {
  const names = metadata.topics.flatMap((t) => (t.name === null ? [] : [t.name]));
  const allowed = new Set(filterTopics(names, undefined, excludeInternal).filter((t) => filter.topicAllowed(t)));
  return metadata.topics.flatMap((t) =>
    t.name !== null && allowed.has(t.name)
      ? t.partitions
          .map((p) => ({ topic: t.name!, partition: p.partitionIndex }))
          .filter((tp) => filter.partitionAllowed(tp.topic, tp.partition))
      : [],
  );
}
