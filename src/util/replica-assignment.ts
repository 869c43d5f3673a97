import { KtsError } from './errors.js';

/** Kafka's error for an assignment that cannot be made (the broker answers with it; a tool prints the message). */
export class ReplicaAssignmentError extends KtsError {
  constructor(
    readonly errorName: 'INVALID_PARTITIONS' | 'INVALID_REPLICATION_FACTOR' | 'UNKNOWN_SERVER_ERROR',
    message: string,
  ) {
    super(message);
    this.name = 'ReplicaAssignmentError';
  }
}

/** A broker that can hold replicas, with its `broker.rack` (null: none). */
export interface AssignableBroker {
  readonly id: number;
  readonly rack: string | null;
}

/**
 * Where the round-robin starts: the broker index of partition 0's first replica and the initial
 * shift of the followers. Kafka picks both at random, independently; a fixed start (adding
 * partitions) sets both to the same value.
 */
export interface AssignmentStart {
  readonly startIndex: number;
  readonly shift: number;
}

export function randomStart(brokerCount: number): AssignmentStart {
  return { startIndex: Math.floor(Math.random() * brokerCount), shift: Math.floor(Math.random() * brokerCount) };
}

/**
 * Replica lists for `count` new partitions numbered from `firstPartition`: Kafka's
 * AdminUtils.assignReplicasToBrokers. Leaders go round-robin over the brokers from the start
 * index; followers follow at an increasing shift, so a broker's partitions spread their other
 * replicas over all the other brokers. When the brokers have racks, the round-robin runs over a
 * rack-alternating list and followers prefer racks (then brokers) holding no replica yet.
 */
export function assignReplicas(
  brokers: readonly AssignableBroker[],
  count: number,
  replicationFactor: number,
  firstPartition = 0,
  start: AssignmentStart = randomStart(brokers.length),
): number[][] {
  if (count <= 0) throw new ReplicaAssignmentError('INVALID_PARTITIONS', 'Number of partitions must be larger than 0.');
  if (replicationFactor <= 0) throw new ReplicaAssignmentError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0.');
  if (replicationFactor > brokers.length) {
    throw new ReplicaAssignmentError(
      'INVALID_REPLICATION_FACTOR',
      `Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`,
    );
  }
  if (brokers.every((b) => b.rack === null)) {
    return rackUnaware(
      brokers.map((b) => b.id),
      count,
      replicationFactor,
      firstPartition,
      start,
    );
  }
  if (brokers.some((b) => b.rack === null)) {
    // Kafka's AdminOperationException, which CreateTopics answers as an unknown server error.
    throw new ReplicaAssignmentError('UNKNOWN_SERVER_ERROR', 'Not all brokers have rack information for replica rack aware assignment.');
  }
  return rackAware(brokers, count, replicationFactor, firstPartition, start);
}

/**
 * The start Kafka uses when adding partitions: both the index and the shift at the first broker
 * (of `brokers`, sorted by id) whose id is at least partition 0's first replica.
 */
export function addPartitionsStart(brokers: readonly AssignableBroker[], partition0Replicas: readonly number[]): AssignmentStart {
  const index = Math.max(
    0,
    brokers.findIndex((b) => b.id >= partition0Replicas[0]!),
  );
  return { startIndex: index, shift: index };
}

/** Index of a follower: `1 + (shift + j) mod (n - 1)` places after the leader, never the leader itself. */
function followerIndex(first: number, shift: number, j: number, n: number): number {
  return (first + 1 + ((shift + j) % (n - 1))) % n;
}

function rackUnaware(
  brokers: readonly number[],
  count: number,
  replicationFactor: number,
  firstPartition: number,
  start: AssignmentStart,
): number[][] {
  const n = brokers.length;
  let shift = start.shift;
  const result: number[][] = [];
  for (let partition = firstPartition; partition < firstPartition + count; partition++) {
    if (partition > 0 && partition % n === 0) shift++;
    const first = (partition + start.startIndex) % n;
    const replicas = [brokers[first]!];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokers[followerIndex(first, shift, j, n)]!);
    result.push(replicas);
  }
  return result;
}

function rackAware(
  brokers: readonly AssignableBroker[],
  count: number,
  replicationFactor: number,
  firstPartition: number,
  start: AssignmentStart,
): number[][] {
  const rackOf = new Map(brokers.map((b) => [b.id, b.rack!]));
  const arranged = rackAlternatedBrokers(brokers);
  const n = arranged.length;
  const rackCount = new Set(rackOf.values()).size;
  let shift = start.shift;
  const result: number[][] = [];
  for (let partition = firstPartition; partition < firstPartition + count; partition++) {
    if (partition > 0 && partition % n === 0) shift++;
    const first = (partition + start.startIndex) % n;
    const leader = arranged[first]!;
    const replicas = [leader];
    const racksUsed = new Set([rackOf.get(leader)]);
    const brokersUsed = new Set([leader]);
    let k = 0;
    while (replicas.length < replicationFactor) {
      const broker = arranged[followerIndex(first, shift * rackCount, k++, n)]!;
      const rack = rackOf.get(broker);
      // Another rack first while one has no replica, and another broker while one has none.
      if ((!racksUsed.has(rack) || racksUsed.size === rackCount) && (!brokersUsed.has(broker) || brokersUsed.size === n)) {
        replicas.push(broker);
        racksUsed.add(rack);
        brokersUsed.add(broker);
      }
    }
    result.push(replicas);
  }
  return result;
}

/** Racks sorted by name, brokers by id within a rack, one from each rack in turn: `{0:a,1:a,2:b,3:b}` → `[0,2,1,3]`. */
export function rackAlternatedBrokers(brokers: readonly AssignableBroker[]): number[] {
  const byRack = new Map<string, number[]>();
  for (const b of brokers) byRack.set(b.rack!, [...(byRack.get(b.rack!) ?? []), b.id]);
  const racks = [...byRack.keys()].sort();
  const queues = racks.map((rack) => byRack.get(rack)!.sort((a, b) => a - b));
  const result: number[] = [];
  for (let round = 0; result.length < brokers.length; round++) {
    for (const queue of queues) if (round < queue.length) result.push(queue[round]!);
  }
  return result;
}
