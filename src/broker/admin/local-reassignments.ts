import { ErrorCode } from '../../protocol/errors.js';
import { type PartitionError, validateReassignment } from '../controller/partition-reassignments.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import { PartitionMap } from '../metadata/topic-partition.js';
import type { ReplicaAssignment } from '../zk/zk-data.js';

const NONE: PartitionError = { errorCode: ErrorCode.NONE, message: null };
const NO_REASSIGNMENT: PartitionError = { errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, message: null };
const UNKNOWN: PartitionError = { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: 'The partition does not exist.' };

/**
 * AlterPartitionReassignments and ListPartitionReassignments of a single broker, its own
 * controller (a one-broker Kafka cluster answers them too): every replica is on this broker, so the
 * only valid target is the one it has (NONE, nothing to do), other brokers are refused as not alive,
 * with the controller's checks and words, and nothing is ever being reassigned. What this gives is
 * `kts reassign-partitions` with `log_dirs`, which moves replicas between the broker's log dirs.
 */
export class LocalReassignments {
  constructor(
    private readonly metadata: MetadataCache,
    private readonly brokerId: number,
  ) {}

  async alterPartitionReassignments(asked: PartitionMap<readonly number[] | null>): Promise<PartitionMap<PartitionError>> {
    const results = new PartitionMap<PartitionError>();
    for (const [tp, target] of asked.entries()) {
      const replicas = this.metadata.topic(tp.topic)?.partitions.find((p) => p.partition === tp.partition)?.replicas;
      const current: ReplicaAssignment | undefined = replicas && { replicas: [...replicas], addingReplicas: [], removingReplicas: [] };
      if (target === null) results.set(tp, NO_REASSIGNMENT);
      else results.set(tp, validateReassignment(target, current, [this.brokerId]) ?? (current ? NONE : UNKNOWN));
    }
    return results;
  }

  async listPartitionReassignments(): Promise<PartitionMap<ReplicaAssignment>> {
    return new PartitionMap();
  }
}
