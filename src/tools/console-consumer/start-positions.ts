import type { Admin } from 'kafkajs';
import type { PartitionRange } from './end-tracker.js';
import { partitionKey } from './end-tracker.js';
import type { ConsumeRequest } from './consumer-options.js';

/**
 * Per partition of `topics`: where the group member will start (the group's committed offset,
 * else the start rule) and the high watermark now. Used by `--exit-at-end` to know when
 * everything was read.
 */
export async function partitionRanges(
  admin: Admin,
  req: ConsumeRequest,
  groupId: string,
  topics: readonly string[],
): Promise<Map<string, PartitionRange>> {
  const committed = new Map<string, string>();
  for (const t of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
    for (const p of t.partitions) if (BigInt(p.offset) >= 0n) committed.set(partitionKey(t.topic, p.partition), p.offset);
  }
  const ranges = new Map<string, PartitionRange>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const key = partitionKey(topic, p.partition);
      const rule = req.start.kind === 'earliest' ? p.low : p.high;
      ranges.set(key, { start: committed.get(key) ?? rule, end: p.high });
    }
  }
  return ranges;
}
