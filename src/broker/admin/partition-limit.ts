import { ApiError } from '../api-error.js';

/**
 * Partitions one request may create, as Kafka's controller bounds it (MAX_PARTITIONS_PER_BATCH):
 * without it a single CreateTopics or CreatePartitions of 2^31-1 partitions stalls the broker
 * creating directories and files until it runs out of memory or disk.
 */
export const MAX_PARTITIONS_PER_REQUEST = 10_000;

/** CreateTopics' upper bound, counted as Kafka does: -1 is the default count, manual assignments count themselves, invalid counts nothing. */
export function checkCreateTopicsPartitions(
  topics: readonly { numPartitions: number; assignments: readonly unknown[] }[],
  defaultPartitions: number,
): void {
  let total = 0;
  for (const t of topics) {
    if (t.assignments.length > 0) total += t.assignments.length;
    else if (t.numPartitions === -1) total += defaultPartitions;
    else if (t.numPartitions > 0) total += t.numPartitions;
  }
  if (total > MAX_PARTITIONS_PER_REQUEST) throw new ApiError('POLICY_VIOLATION', 'Excessively large number of partitions per request.');
}

/** CreatePartitions adding more than the bound fails, as Kafka's controller fails a batch that large. */
export function checkAddedPartitions(added: number): void {
  if (added > MAX_PARTITIONS_PER_REQUEST) throw new ApiError('POLICY_VIOLATION', 'Unable to perform excessively large batch operation.');
}
