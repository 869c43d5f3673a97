import { UsageError } from '../../util/errors.js';
import { topicPattern } from '../common/topic-filter.js';

/** The console consumer's own flags (commander camelCase). */
export interface ConsumerFlags {
  topic?: string;
  include?: string;
  partition?: number;
  offset?: string;
  fromBeginning?: boolean;
  group?: string;
  maxMessages?: number;
  timeoutMs?: number;
  isolationLevel?: string;
  skipMessageOnError?: boolean;
  exitAtEnd?: boolean;
}

/** Where reading starts when there is no committed offset (or always, for `--offset N`). */
export type StartPosition = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'offset'; offset: string };

export interface ConsumeRequest {
  /** `--include`: a pattern, leaving internal topics out unless exclude.internal.topics=false (as Java's pattern subscription). */
  source: { topic: string } | { include: RegExp; excludeInternal: boolean };
  partition?: number;
  start: StartPosition;
  /** auto.offset.reset: where a partition restarts when its position is out of range. */
  offsetReset: 'earliest' | 'latest';
  /** The group to join (`--group` or group.id); without one, partitions are read directly and nothing is committed. */
  group: { id: string; autoCommit: boolean } | null;
  maxMessages?: number;
  timeoutMs?: number;
  readCommitted: boolean;
  skipMessageOnError: boolean;
  exitAtEnd: boolean;
}

/**
 * ConsoleConsumerOptions' checks and defaults, with Kafka's messages: one of --topic/--include,
 * --partition needs --topic, --offset needs --partition, one group id, auto.offset.reset vs
 * --from-beginning.
 */
export function validateConsumerFlags(flags: ConsumerFlags, props: ReadonlyMap<string, string>): ConsumeRequest {
  if ((flags.topic === undefined) === (flags.include === undefined)) {
    throw new UsageError('Exactly one of --include/--topic is required.');
  }
  if (flags.partition !== undefined) {
    if (flags.topic === undefined) throw new UsageError('The topic is required when partition is specified.');
    if (flags.fromBeginning && flags.offset !== undefined) {
      throw new UsageError('Options from-beginning and offset cannot be specified together.');
    }
  } else if (flags.offset !== undefined) {
    throw new UsageError('The partition is required when offset is specified.');
  }

  const groupIds = [...new Set([flags.group, props.get('group.id')].filter((g): g is string => g !== undefined))];
  if (groupIds.length > 1) {
    throw new UsageError(
      "The group ids provided in different places (directly using '--group', via '--consumer-property', or via " +
        `'--consumer.config') do not match. Detected group ids: ${groupIds.map((g) => `'${g}'`).join(', ')}`,
    );
  }
  if (groupIds.length > 0 && flags.partition !== undefined) {
    throw new UsageError('Options group and partition cannot be specified together.');
  }

  const reset = props.get('auto.offset.reset');
  if (reset !== undefined && flags.fromBeginning && reset !== 'earliest') {
    throw new UsageError(`Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', please remove one option`);
  }
  if (reset !== undefined && reset !== 'earliest' && reset !== 'latest') {
    throw new UsageError(`Error: auto.offset.reset '${reset}' is not supported (use earliest or latest)`);
  }

  const isolation = flags.isolationLevel ?? props.get('isolation.level') ?? 'read_uncommitted';
  if (isolation !== 'read_uncommitted' && isolation !== 'read_committed') {
    throw new UsageError(`Error: invalid isolation level '${isolation}' (use read_committed or read_uncommitted)`);
  }

  const autoCommitProp = props.get('enable.auto.commit');
  const autoCommit = autoCommitProp === undefined || autoCommitProp.trim().toLowerCase() === 'true';
  return {
    source:
      flags.topic !== undefined
        ? { topic: flags.topic }
        : {
            include: topicPattern(flags.include!),
            excludeInternal: props.get('exclude.internal.topics')?.trim().toLowerCase() !== 'false',
          },
    ...(flags.partition !== undefined ? { partition: flags.partition } : {}),
    start: startPosition(flags, reset),
    offsetReset: flags.fromBeginning || reset === 'earliest' ? 'earliest' : 'latest',
    group: groupIds[0] === undefined ? null : { id: groupIds[0], autoCommit },
    // Kafka: -1 (its default) reads on; any other count below 1 prints nothing.
    ...(flags.maxMessages !== undefined && flags.maxMessages !== -1 ? { maxMessages: Math.max(0, flags.maxMessages) } : {}),
    ...(flags.timeoutMs !== undefined && flags.timeoutMs >= 0 ? { timeoutMs: flags.timeoutMs } : {}),
    readCommitted: isolation === 'read_committed',
    skipMessageOnError: flags.skipMessageOnError === true,
    exitAtEnd: flags.exitAtEnd === true,
  };
}

function startPosition(flags: ConsumerFlags, reset: string | undefined): StartPosition {
  if (flags.offset !== undefined) {
    const text = flags.offset;
    const lower = text.toLowerCase();
    if (lower === 'earliest') return { kind: 'earliest' };
    if (lower === 'latest') return { kind: 'latest' };
    if (!/^\d+$/.test(text) || BigInt(text) > 2n ** 63n - 1n) {
      throw new UsageError(
        `The provided offset value '${text}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`,
      );
    }
    return { kind: 'offset', offset: BigInt(text).toString() };
  }
  return flags.fromBeginning || reset === 'earliest' ? { kind: 'earliest' } : { kind: 'latest' };
}
