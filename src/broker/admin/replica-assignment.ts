import { ApiError } from '../api-error.js';
import { assignReplicas as assign, ReplicaAssignmentError } from '../../util/replica-assignment.js';

export {
  type AssignableBroker,
  type AssignmentStart,
  addPartitionsStart,
  rackAlternatedBrokers,
  randomStart,
} from '../../util/replica-assignment.js';

/** Kafka's AdminUtils.assignReplicasToBrokers (src/util/replica-assignment.ts), refusals as the broker's ApiError. */
export function assignReplicas(...args: Parameters<typeof assign>): number[][] {
  try {
    return assign(...args);
  } catch (err) {
    if (err instanceof ReplicaAssignmentError) throw new ApiError(err.errorName, err.message);
    throw err;
  }
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
