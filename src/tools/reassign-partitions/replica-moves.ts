import { ANY_LOG_DIR, formatPartition, type PartitionTarget, type TopicPartition } from './reassignment-json.js';

/** A replica (Kafka's TopicPartitionReplica) and the log dir the reassignment JSON names for it. */
export interface ReplicaLogDir extends TopicPartition {
  readonly broker: number;
  readonly logDir: string;
}

/** Kafka's LogDirMoveState subclasses: where a replica is against where it should go; `done` as Kafka's. */
export type LogDirMoveState =
  | { kind: 'missingReplica'; done: false }
  | { kind: 'missingLogDir'; done: false }
  | { kind: 'active'; done: false; current: string; future: string }
  | { kind: 'cancelled'; done: true; current: string }
  | { kind: 'completed'; done: true };

/** The replicas whose `log_dirs` entry is a path, not `any`. */
export function replicaLogDirs(targets: readonly PartitionTarget[]): ReplicaLogDir[] {
  return targets.flatMap((t) =>
    t.replicas.flatMap((broker, i) => {
      const logDir = t.logDirs[i]!;
      return logDir === ANY_LOG_DIR ? [] : [{ topic: t.topic, partition: t.partition, broker, logDir }];
    }),
  );
}

/** TopicPartitionReplica.toString: `topic-partition-broker`. */
export function formatReplica(r: ReplicaLogDir): string {
  return `${formatPartition(r)}-${r.broker}`;
}

/** Kafka's compareTopicPartitionReplicas: by broker, then topic, then partition. */
export function compareReplicas(a: ReplicaLogDir, b: ReplicaLogDir): number {
  return a.broker - b.broker || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);
}

/** Kafka's replicaMoveStatesToString, one replica. */
export function moveStateLine(r: ReplicaLogDir, state: LogDirMoveState): string {
  const partition = formatPartition(r);
  switch (state.kind) {
    case 'missingLogDir':
      return `Partition ${partition} is not found in any live log dir on broker ${r.broker}. There is likely an offline log directory on the broker.`;
    case 'missingReplica':
      return `Partition ${partition} cannot be found in any live log directory on broker ${r.broker}.`;
    case 'active':
      return state.future === r.logDir
        ? `Reassignment of replica ${formatReplica(r)} is still in progress.`
        : `Partition ${partition} on broker ${r.broker} is being moved to log dir ${state.future} instead of ${r.logDir}.`;
    case 'cancelled':
      return `Partition ${partition} on broker ${r.broker} is not being moved from log dir ${state.current} to ${r.logDir}.`;
    case 'completed':
      return `Reassignment of replica ${formatReplica(r)} completed successfully.`;
  }
}
