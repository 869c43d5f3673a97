import { UsageError } from '../../util/errors.js';
import { isUuid, ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { parseTopicConfigs } from './config-args.js';
import { DEFAULT_PARTITIONS_PER_RESPONSE } from './describe-topic-partitions.js';
import type { HealthFilter } from './partition-health.js';
import { parseReplicaAssignment } from './replica-assignment.js';

export const ACTIONS = ['create', 'list', 'alter', 'describe', 'delete'] as const;
export type TopicsAction = (typeof ACTIONS)[number];

/** The command-line flags as commander hands them over (camelCased). */
export interface TopicsFlags {
  create?: boolean;
  list?: boolean;
  alter?: boolean;
  describe?: boolean;
  delete?: boolean;
  topic?: string;
  topicId?: string;
  partitions?: number;
  replicationFactor?: number;
  replicaAssignment?: string;
  config?: string[];
  deleteConfig?: string[];
  ifExists?: boolean;
  ifNotExists?: boolean;
  excludeInternal?: boolean;
  underReplicatedPartitions?: boolean;
  unavailablePartitions?: boolean;
  underMinIsrPartitions?: boolean;
  atMinIsrPartitions?: boolean;
  topicsWithOverrides?: boolean;
  partitionSizeLimitPerResponse?: number;
}

export interface TopicsRequest {
  action: TopicsAction;
  topic?: string;
  /** `--topic-id`, never the zero id (Kafka then goes by `--topic`). */
  topicId?: string;
  partitions?: number;
  replicationFactor?: number;
  /** Index i is partition i's replica list. */
  replicaAssignment?: number[][];
  configs: Map<string, string>;
  ifExists: boolean;
  ifNotExists: boolean;
  excludeInternal: boolean;
  healthFilters: HealthFilter[];
  topicsWithOverrides: boolean;
  /** Partitions per DescribeTopicPartitions response while describing. */
  partitionSizeLimitPerResponse: number;
}

type Flag = keyof TopicsFlags;

const FLAG_NAMES: Record<Flag, string> = {
  create: 'create',
  list: 'list',
  alter: 'alter',
  describe: 'describe',
  delete: 'delete',
  topic: 'topic',
  topicId: 'topic-id',
  partitions: 'partitions',
  replicationFactor: 'replication-factor',
  replicaAssignment: 'replica-assignment',
  config: 'config',
  deleteConfig: 'delete-config',
  ifExists: 'if-exists',
  ifNotExists: 'if-not-exists',
  excludeInternal: 'exclude-internal',
  underReplicatedPartitions: 'under-replicated-partitions',
  unavailablePartitions: 'unavailable-partitions',
  underMinIsrPartitions: 'under-min-isr-partitions',
  atMinIsrPartitions: 'at-min-isr-partitions',
  topicsWithOverrides: 'topics-with-overrides',
  partitionSizeLimitPerResponse: 'partition-size-limit-per-response',
};

const HEALTH_FLAGS: ReadonlyArray<[Flag, HealthFilter]> = [
  ['underReplicatedPartitions', 'under-replicated'],
  ['unavailablePartitions', 'unavailable'],
  ['underMinIsrPartitions', 'under-min-isr'],
  ['atMinIsrPartitions', 'at-min-isr'],
];

/**
 * TopicCommandOptions.checkArgs: one action, its required options, and Kafka's "can't be used
 * with" rules, with Kafka's wording. All are usage errors (exit 2).
 */
export function validateTopicsFlags(flags: TopicsFlags): TopicsRequest {
  const has = (f: Flag): boolean => flags[f] !== undefined && flags[f] !== false;
  const actions = ACTIONS.filter(has);
  if (actions.length !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  }
  const action = actions[0]!;
  const onlyWith = (used: Flag, allowed: readonly TopicsAction[], alsoInvalid: readonly Flag[] = []): void => {
    if (!has(used)) return;
    const invalid = [...ACTIONS.filter((a) => !allowed.includes(a)), ...alsoInvalid].find(has);
    if (invalid !== undefined) {
      throw new UsageError(`Option "[${FLAG_NAMES[used]}]" can't be used with option "[${FLAG_NAMES[invalid]}]"`);
    }
  };

  const topicId = parseTopicId(flags.topicId);
  onlyWith('topicId', ['describe', 'delete']);
  if (action === 'describe' && has('ifExists') && !has('topic') && !has('topicId')) {
    throw new UsageError('--topic or --topic-id is required to describe a topic');
  }
  // Kafka deletes by name only; kts also takes the id --describe prints.
  if (action !== 'list' && action !== 'describe' && !has('topic') && !(action === 'delete' && topicId !== undefined)) {
    throw new UsageError('Missing required argument "[topic]"');
  }
  if (action === 'alter') {
    if (has('config')) {
      throw new UsageError(
        'Option combination "[bootstrap-server, config]" can\'t be used with option "[alter]" ' +
          '(the kafka-configs CLI supports altering topic configs with a --bootstrap-server option)',
      );
    }
    if (!has('partitions')) throw new UsageError('Missing required argument "[partitions]"');
  }
  onlyWith('config', ['alter', 'create']);
  // Kafka accepts --delete-config only without --bootstrap-server, which it requires: never.
  if (has('deleteConfig')) throw new UsageError('Option "[delete-config]" can\'t be used with option "[bootstrap-server]"');
  onlyWith('partitions', ['alter', 'create']);
  onlyWith('replicationFactor', ['create']);
  onlyWith('replicaAssignment', ['alter', 'create']);
  if (action === 'create') onlyWith('replicaAssignment', ['create'], ['partitions', 'replicationFactor']);
  for (const [flag] of HEALTH_FLAGS) onlyWith(flag, ['describe'], ['topicsWithOverrides']);
  onlyWith(
    'topicsWithOverrides',
    ['describe'],
    HEALTH_FLAGS.map(([f]) => f),
  );
  onlyWith('ifExists', ['alter', 'delete', 'describe']);
  onlyWith('ifNotExists', ['create']);
  onlyWith('excludeInternal', ['list', 'describe']);

  if (action === 'create') {
    const rf = flags.replicationFactor;
    if (rf !== undefined && (rf < 1 || rf > 32767)) {
      throw new UsageError('The replication factor must be between 1 and 32767 inclusive');
    }
    if (flags.partitions !== undefined && flags.partitions < 1) {
      throw new UsageError('The partitions must be greater than 0');
    }
  }

  return {
    action,
    ...(flags.topic !== undefined ? { topic: flags.topic } : {}),
    ...(topicId !== undefined ? { topicId } : {}),
    ...(flags.partitions !== undefined ? { partitions: flags.partitions } : {}),
    ...(flags.replicationFactor !== undefined ? { replicationFactor: flags.replicationFactor } : {}),
    ...(flags.replicaAssignment ? { replicaAssignment: parseReplicaAssignment(flags.replicaAssignment) } : {}),
    configs: parseTopicConfigs(flags.config ?? []),
    ifExists: has('ifExists'),
    ifNotExists: has('ifNotExists'),
    excludeInternal: has('excludeInternal'),
    healthFilters: HEALTH_FLAGS.filter(([flag]) => has(flag)).map(([, filter]) => filter),
    topicsWithOverrides: has('topicsWithOverrides'),
    partitionSizeLimitPerResponse: flags.partitionSizeLimitPerResponse ?? DEFAULT_PARTITIONS_PER_RESPONSE,
  };
}

/** Kafka's note when both name and id are given: the id decides. */
export const TOPIC_ID_WINS = 'Only topic id will be used when both --topic and --topic-id are specified and topicId is not Uuid.ZERO_UUID';

/** A `--topic-id` in the form `--describe` prints it; the zero id means none, as in Kafka. */
function parseTopicId(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const id = text.trim();
  if (!isUuid(id))
    throw new UsageError(
      `Error: invalid --topic-id '${text}': expected a topic id as --describe prints it (22 characters of URL-safe base64)`,
    );
  return id === ZERO_UUID ? undefined : id;
}
