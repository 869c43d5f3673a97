import { UsageError } from '../../util/errors.js';
import type { FetcherOptions } from '../../client/consumer/consumer-config.js';
import type { GroupOptions } from '../../client/consumer/group/group-config.js';

/** Consumer properties kts maps to its fetcher or group member (or decides itself), so they are not reported as unknown. */
export const CONSUMER_KEYS = [
  'group.id',
  'group.instance.id',
  'auto.offset.reset',
  'enable.auto.commit',
  'auto.commit.interval.ms',
  'partition.assignment.strategy',
  'isolation.level',
  'session.timeout.ms',
  'heartbeat.interval.ms',
  'max.poll.interval.ms',
  'retry.backoff.max.ms',
  'fetch.min.bytes',
  'fetch.max.bytes',
  'fetch.max.wait.ms',
  'max.partition.fetch.bytes',
  'allow.auto.create.topics',
  'check.crcs',
  'metadata.max.age.ms',
  'key.deserializer',
  'value.deserializer',
  'exclude.internal.topics',
  'group.protocol',
  // Valid Java consumer configs without meaning here: kts formats records as they arrive (no poll
  // batches) and fetches from leaders only.
  'max.poll.records',
  'client.rack',
] as const;

/** The native fetcher's settings, from Kafka consumer properties. */
export type FetchSettings = Pick<
  FetcherOptions,
  | 'fetchMinBytes'
  | 'fetchMaxBytes'
  | 'fetchMaxWaitMs'
  | 'maxPartitionFetchBytes'
  | 'checkCrcs'
  | 'allowAutoTopicCreation'
  | 'metadataMaxAgeMs'
>;

/** The group member's settings (`--group`), from Kafka consumer properties; the group id and auto-commit come with the request. */
export type GroupSettings = Omit<GroupOptions, 'groupId' | 'autoCommit'>;

export function fetchSettings(props: ReadonlyMap<string, string>): FetchSettings {
  return {
    fetchMinBytes: int(props, 'fetch.min.bytes'),
    fetchMaxBytes: int(props, 'fetch.max.bytes'),
    fetchMaxWaitMs: int(props, 'fetch.max.wait.ms'),
    maxPartitionFetchBytes: int(props, 'max.partition.fetch.bytes'),
    checkCrcs: bool(props, 'check.crcs'),
    allowAutoTopicCreation: bool(props, 'allow.auto.create.topics'),
    metadataMaxAgeMs: int(props, 'metadata.max.age.ms'),
  };
}

/** Java's consumer defaults, for checking the two timeouts against each other. */
const DEFAULT_SESSION_TIMEOUT_MS = 45_000;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;
/** Kafka's legal characters of a group.instance.id (those of topic names), and their maximum count. */
const INSTANCE_ID = /^[a-zA-Z0-9._-]{1,249}$/;

export function groupSettings(props: ReadonlyMap<string, string>): GroupSettings {
  const sessionTimeoutMs = int(props, 'session.timeout.ms');
  const heartbeatIntervalMs = int(props, 'heartbeat.interval.ms');
  if ((heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS) >= (sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS)) {
    throw new UsageError('Error: heartbeat.interval.ms must be lower than session.timeout.ms');
  }
  const protocol = props.get('group.protocol')?.trim().toLowerCase();
  if (protocol !== undefined && protocol !== 'classic') {
    throw new UsageError(`Error: group.protocol '${protocol}' is not supported: kts speaks the classic consumer group protocol`);
  }
  const instanceId = props.get('group.instance.id')?.trim();
  if (instanceId !== undefined && !INSTANCE_ID.test(instanceId)) {
    throw new UsageError(`Error: invalid group.instance.id '${instanceId}' (1 to 249 of ASCII letters, digits, '.', '_' and '-')`);
  }
  return {
    groupInstanceId: instanceId,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    maxPollIntervalMs: int(props, 'max.poll.interval.ms'),
    autoCommitIntervalMs: int(props, 'auto.commit.interval.ms'),
    assignors: assignmentStrategy(props.get('partition.assignment.strategy')),
    retryBackoffMaxMs: int(props, 'retry.backoff.max.ms'),
  };
}

/** Java's assignor class names and librdkafka's short names, for the strategies kts speaks. */
const STRATEGIES: ReadonlyMap<string, string> = new Map([
  ['range', 'range'],
  ['org.apache.kafka.clients.consumer.RangeAssignor', 'range'],
  ['roundrobin', 'roundrobin'],
  ['org.apache.kafka.clients.consumer.RoundRobinAssignor', 'roundrobin'],
]);

/** partition.assignment.strategy: a comma list, preferred first. */
function assignmentStrategy(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return [
    ...new Set(
      value.split(',').map((name) => {
        const protocol = STRATEGIES.get(name.trim());
        if (protocol === undefined) {
          throw new UsageError(`Error: partition.assignment.strategy '${name.trim()}' is not supported (use range or roundrobin)`);
        }
        return protocol;
      }),
    ),
  ];
}

function int(props: ReadonlyMap<string, string>, key: string): number | undefined {
  const text = props.get(key)?.trim();
  if (text === undefined || text === '') return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`Error: invalid value for ${key}: '${text}' (expected a non-negative integer)`);
  return value;
}

function bool(props: ReadonlyMap<string, string>, key: string): boolean | undefined {
  const text = props.get(key);
  return text === undefined ? undefined : text.trim().toLowerCase() === 'true';
}
