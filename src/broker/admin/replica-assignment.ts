import { ApiError } from '../api-error.js';

/**
 * Replica lists for `count` new partitions numbered from `firstPartition`, round-robin over the
 * brokers (Kafka's rack-unaware assignment without its random start, which one broker cannot show).
 */
export function assignReplicas(brokers: readonly number[], count: number, replicationFactor: number, firstPartition = 0): number[][] {
  if (replicationFactor <= 0) throw new ApiError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0.');
  if (replicationFactor > brokers.length) {
    throw new ApiError(
      'INVALID_REPLICATION_FACTOR',
      `Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`,
    );
  }
  const sorted = [...brokers].sort((a, b) => a - b);
  return Array.from({ length: count }, (_, i) =>
    Array.from({ length: replicationFactor }, (_, r) => sorted[(firstPartition + i + r) % sorted.length]!),
  );
}

/** Checks replica lists a client gave (CreateTopics assignments, CreatePartitions), with Kafka's wording. */
export function checkManualAssignment(replicaLists: readonly (readonly number[])[], brokers: readonly number[]): void {
  const invalid = (message: string) => new ApiError('INVALID_REPLICA_ASSIGNMENT', message);
  if (replicaLists.some((replicas) => replicas.length === 0))
    throw invalid('Replica assignment must name at least one broker for every partition.');
  if (new Set(replicaLists.map((r) => r.length)).size > 1) throw invalid('All partitions should have the same number of replicas');
  for (const replicas of replicaLists) {
    if (new Set(replicas).size !== replicas.length) throw invalid(`Duplicate replica assignment found: ${replicas.join(', ')}`);
  }
  const known = new Set(brokers);
  const unknown = [...new Set(replicaLists.flat())].filter((id) => !known.has(id)).sort((a, b) => a - b);
  if (unknown.length > 0) throw invalid(`Unknown broker(s) in replica assignment: ${unknown.join(', ')}.`);
}
