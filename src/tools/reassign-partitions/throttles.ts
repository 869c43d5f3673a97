import type { TopicPartition } from './reassignment-json.js';

/** Where a partition's data comes from (its current replicas) and goes to (the replicas it gains). */
export interface PartitionMove {
  readonly sources: ReadonlySet<number>;
  readonly destinations: ReadonlySet<number>;
}

/** topic → partition → move. */
export type MoveMap = Map<string, Map<number, PartitionMove>>;

type Ongoing = TopicPartition & { readonly replicas: readonly number[]; readonly addingReplicas: readonly number[] };
type Assigned = TopicPartition & { readonly replicas: readonly number[] };

/**
 * Kafka's calculateProposedMoveMap: the reassignments in progress (sources: their original replicas,
 * destinations: those being added) with the proposed ones over them (sources: the original or
 * current replicas, destinations: the target replicas not among them).
 */
export function proposedMoves(ongoing: readonly Ongoing[], proposed: readonly Assigned[], current: readonly Assigned[]): MoveMap {
  const moves: MoveMap = new Map();
  const movesOf = (topic: string) => moves.get(topic) ?? moves.set(topic, new Map()).get(topic)!;
  for (const r of ongoing) {
    movesOf(r.topic).set(r.partition, {
      sources: new Set(r.replicas.filter((x) => !r.addingReplicas.includes(x))),
      destinations: new Set(r.addingReplicas),
    });
  }
  for (const p of proposed) {
    const partitions = movesOf(p.topic);
    const sources =
      partitions.get(p.partition)?.sources ?? new Set(current.find((c) => c.topic === p.topic && c.partition === p.partition)?.replicas);
    partitions.set(p.partition, { sources, destinations: new Set(p.replicas.filter((r) => !sources.has(r))) });
  }
  return moves;
}

/**
 * Kafka's calculateLeaderThrottles / calculateFollowerThrottles: per topic,
 * `leader.replication.throttled.replicas` lists `partition:source` and
 * `follower.replication.throttled.replicas` `partition:destination`, each sorted as strings.
 */
export function topicThrottleChanges(moves: MoveMap): Array<[string, Array<[string, string]>]> {
  return [...moves].map(([topic, partitions]) => {
    const leader = new Set<string>();
    const follower = new Set<string>();
    for (const [partition, move] of partitions) {
      for (const s of move.sources) leader.add(`${partition}:${s}`);
      for (const d of move.destinations) if (!move.sources.has(d)) follower.add(`${partition}:${d}`);
    }
    return [
      topic,
      [
        ['leader.replication.throttled.replicas', [...leader].sort().join(',')],
        ['follower.replication.throttled.replicas', [...follower].sort().join(',')],
      ],
    ];
  });
}

/** Kafka's modifyInterBrokerThrottle: the leader and follower rates on every broker a move involves. */
export function brokerThrottleChanges(moves: MoveMap, throttle: number): Array<[number, Array<[string, string]>]> {
  const brokers = new Set<number>();
  for (const partitions of moves.values()) {
    for (const move of partitions.values()) for (const b of [...move.sources, ...move.destinations]) brokers.add(b);
  }
  return [...brokers]
    .sort((a, b) => a - b)
    .map((b) => [
      b,
      [
        ['leader.replication.throttled.rate', String(throttle)],
        ['follower.replication.throttled.rate', String(throttle)],
      ],
    ]);
}
