import { UsageError } from '../../util/errors.js';
import { topicPattern } from '../common/topic-filter.js';

/** Which topics and partitions to look up (GetOffsetShell's TopicPartitionFilter). */
export interface TopicPartitionFilter {
  topicAllowed(topic: string): boolean;
  partitionAllowed(topic: string, partition: number): boolean;
}

const usage = (message: string): UsageError => new UsageError(`Error occurred: ${message}`);

/** `--topic <regex>` with `--partitions 0,1` (no partitions: all of them). */
export function topicAndPartitionsFilter(topic: string | undefined, partitions: string | undefined): TopicPartitionFilter {
  const pattern = topicPattern(topic ?? '.*');
  let set: Set<number> | undefined;
  if (partitions !== undefined && partitions !== '') {
    const ids = partitions.split(',').map((p) => (/^[+-]?\d+$/.test(p) ? Number(p) : NaN));
    if (ids.some((id) => !Number.isSafeInteger(id) || Math.abs(id) > 2 ** 31 - 1)) {
      throw usage(`--partitions expects a comma separated list of numeric partition ids, but received: ${partitions}`);
    }
    set = new Set(ids);
  }
  return {
    topicAllowed: (t) => pattern.test(t),
    partitionAllowed: (t, p) => pattern.test(t) && (set === undefined || set.has(p)),
  };
}

/** GetOffsetShell's rule grammar: `TopicRegex(:(N|N-M|N-|-M))?`, rules separated by commas. */
const RULE = /^([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?$/;

/**
 * `--topic-partitions 'topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3'`: ranges include the
 * lower and exclude the upper bound; an empty topic part matches every topic.
 */
export function topicPartitionsFilter(spec: string): TopicPartitionFilter {
  const rules = spec.split(',').map((rule) => {
    const m = RULE.exec(rule);
    if (m === null) throw usage(`Invalid rule specification: ${rule}`);
    const group = (i: number): string | undefined => (m[i] ? m[i] : undefined);
    const pattern = topicPattern(group(1) ?? '.*');
    const single = group(2);
    const lower = single !== undefined ? Number(single) : Number(group(3) ?? 0);
    const upper = single !== undefined ? Number(single) + 1 : Number(group(4) ?? Number.MAX_SAFE_INTEGER);
    return { pattern, lower, upper };
  });
  return {
    topicAllowed: (t) => rules.some((r) => r.pattern.test(t)),
    partitionAllowed: (t, p) => rules.some((r) => r.pattern.test(t) && p >= r.lower && p < r.upper),
  };
}
