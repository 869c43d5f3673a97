import { UsageError } from '../../util/errors.js';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** A `--topic` argument: a whole topic, or `topic:0,1,2` for chosen partitions. */
export interface TopicScope {
  topic: string;
  partitions?: number[];
}

/** Kafka's TopicPartition.toString, used in its messages: `orders-0`. */
export function partitionName(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** ConsumerGroupService.parseTopicsWithPartitions, with Kafka's messages (usage errors). */
export function parseTopicArg(arg: string): TopicScope {
  if (!arg.includes(':')) return { topic: arg };
  // Java's split drops trailing empty parts, so `t:` has one part and is rejected like `a:b:c`.
  const parts = arg.split(':');
  while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  if (parts.length !== 2) throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`);
  const [topic, list] = parts as [string, string];
  const partitions = list.split(',').map((p) => {
    if (!/^[+-]?\d{1,10}$/.test(p) || Math.abs(Number(p)) > 2 ** 31 - 1) {
      throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}'`);
    }
    return Number(p);
  });
  return { topic, partitions };
}

export function comparePartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

/** Keys a topic-partition for maps and sets. */
export function partitionKey(tp: TopicPartition): string {
  return `${tp.partition}:${tp.topic}`;
}
