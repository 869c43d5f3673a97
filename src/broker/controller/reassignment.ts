import { replicaAssignment, type ReplicaAssignment } from '../zk/zk-data.js';

/**
 * Kafka's ReplicaAssignment arithmetic for reassignments (KIP-455). While a partition moves, its
 * replica set RS is the origin replicas ORS plus the target replicas TRS; `addingReplicas` are
 * TRS - ORS and `removingReplicas` ORS - TRS, so both ends can be recovered from what ZooKeeper
 * stores after a controller failover.
 */

/** ORS: the replicas before the reassignment. */
export function originReplicas(a: ReplicaAssignment): number[] {
  return a.replicas.filter((r) => !a.addingReplicas.includes(r));
}

/** TRS: the replicas once the reassignment completes. */
export function targetReplicas(a: ReplicaAssignment): number[] {
  return a.replicas.filter((r) => !a.removingReplicas.includes(r));
}

export function isBeingReassigned(a: ReplicaAssignment): boolean {
  return a.addingReplicas.length > 0 || a.removingReplicas.length > 0;
}

/**
 * The assignment while moving to `target`: target replicas first, in the order asked for, then the
 * origin replicas leaving. A reassignment replacing one in progress starts from the same origin,
 * so cancelling (target = ORS) returns to the original replicas.
 */
export function reassignTo(a: ReplicaAssignment, target: readonly number[]): ReplicaAssignment {
  const origin = originReplicas(a);
  const replicas = [...new Set([...target, ...origin])];
  return {
    replicas,
    addingReplicas: replicas.filter((r) => !origin.includes(r)),
    removingReplicas: replicas.filter((r) => !target.includes(r)),
  };
}

/** The assignment once the reassignment is over: RS = TRS. */
export function completed(a: ReplicaAssignment): ReplicaAssignment {
  return replicaAssignment(targetReplicas(a));
}

/** The same brokers in the same order (the first is the preferred leader). */
export function sameReplicas(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

export function sameAssignment(a: ReplicaAssignment, b: ReplicaAssignment): boolean {
  return (
    sameReplicas(a.replicas, b.replicas) &&
    sameReplicas(a.addingReplicas, b.addingReplicas) &&
    sameReplicas(a.removingReplicas, b.removingReplicas)
  );
}
