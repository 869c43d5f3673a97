/** The classic group protocol's settings; `resolveGroupConfig` fills Kafka 3.9's consumer defaults. */
export interface GroupConfig {
  groupId: string;
  /** group.instance.id: a static member (KIP-345); null for a dynamic one. */
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** max.poll.interval.ms: also the rebalance timeout JoinGroup carries. */
  maxPollIntervalMs: number;
  /** enable.auto.commit: commit positions every auto.commit.interval.ms, before a rebalance and on close. */
  autoCommit: boolean;
  autoCommitIntervalMs: number;
  /** partition.assignment.strategy as protocol names (`range`, `roundrobin`), preferred first. */
  assignors: readonly string[];
  /** retry.backoff.max.ms: the cap of the doubling backoff between retries. */
  retryBackoffMaxMs: number;
}

export type GroupOptions = Partial<GroupConfig> & { groupId: string };

const DEFAULTS = {
  groupInstanceId: null,
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 3_000,
  maxPollIntervalMs: 300_000,
  autoCommit: true,
  autoCommitIntervalMs: 5_000,
  // Java's default list is range then cooperative-sticky; kts speaks the eager protocols only.
  assignors: ['range'],
  retryBackoffMaxMs: 1_000,
} as const satisfies Omit<GroupConfig, 'groupId'>;

export function resolveGroupConfig(options: GroupOptions): GroupConfig {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as GroupOptions;
  return { ...DEFAULTS, ...given };
}
