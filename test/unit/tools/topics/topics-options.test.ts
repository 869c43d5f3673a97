import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/util/errors.js';
import { exitCodeOf } from '../../../../src/cli/errors.js';
import { parseTopicConfigs } from '../../../../src/tools/topics/config-args.js';
import { parseReplicaAssignment } from '../../../../src/tools/topics/replica-assignment.js';
import { validateTopicName } from '../../../../src/tools/topics/topic-name.js';
import { validateTopicsFlags, type TopicsFlags } from '../../../../src/tools/topics/topics-options.js';

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect(exitCodeOf(err)).toBe(2);
    expect((err as UsageError).message).not.toContain('\n');
    return (err as UsageError).message;
  }
  throw new Error('expected a usage error');
}

const check = (flags: TopicsFlags) => usageError(() => validateTopicsFlags(flags));

describe('kafka-topics option rules (TopicCommandOptions.checkArgs)', () => {
  it('needs exactly one action', () => {
    const msg = 'Command must include exactly one action: --list, --describe, --create, --alter or --delete';
    expect(check({})).toBe(msg);
    expect(check({ list: true, describe: true })).toBe(msg);
  });

  it('needs --topic except for --list and --describe', () => {
    expect(check({ create: true })).toBe('Missing required argument "[topic]"');
    expect(check({ delete: true })).toBe('Missing required argument "[topic]"');
    expect(validateTopicsFlags({ describe: true }).action).toBe('describe');
  });

  it('--topic-id: describe and delete only, a well-formed id, the zero id meaning none', () => {
    const id = '3wXG7l0YSzOQ2cAzbn4x5g';
    expect(validateTopicsFlags({ delete: true, topicId: id })).toMatchObject({ action: 'delete', topicId: id });
    expect(validateTopicsFlags({ describe: true, topic: 't', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }).topicId).toBeUndefined();
    expect(check({ delete: true, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })).toBe('Missing required argument "[topic]"');
    expect(check({ describe: true, topicId: '3wXG7l0YSzOQ2cAzbn4x5' })).toMatch(/^Error: invalid --topic-id '3wXG7l0YSzOQ2cAzbn4x5'/);
    expect(check({ alter: true, topic: 't', partitions: 2, topicId: id })).toBe('Option "[topic-id]" can\'t be used with option "[alter]"');
    expect(check({ describe: true, ifExists: true })).toBe('--topic or --topic-id is required to describe a topic');
  });

  it('rejects --alter --config and needs --partitions for --alter', () => {
    expect(check({ alter: true, topic: 't', config: ['a=b'] })).toBe(
      'Option combination "[bootstrap-server, config]" can\'t be used with option "[alter]" (the kafka-configs CLI supports altering topic configs with a --bootstrap-server option)',
    );
    expect(check({ alter: true, topic: 't' })).toBe('Missing required argument "[partitions]"');
  });

  it('names the first conflicting option as Kafka renders it', () => {
    expect(check({ list: true, partitions: 3 })).toBe('Option "[partitions]" can\'t be used with option "[list]"');
    expect(check({ describe: true, replicationFactor: 1 })).toBe('Option "[replication-factor]" can\'t be used with option "[describe]"');
    expect(check({ create: true, topic: 't', replicaAssignment: '1', partitions: 1 })).toBe(
      'Option "[replica-assignment]" can\'t be used with option "[partitions]"',
    );
    expect(check({ describe: true, underReplicatedPartitions: true, topicsWithOverrides: true })).toBe(
      'Option "[under-replicated-partitions]" can\'t be used with option "[topics-with-overrides]"',
    );
    expect(check({ list: true, ifExists: true })).toBe('Option "[if-exists]" can\'t be used with option "[list]"');
    expect(check({ delete: true, topic: 't', ifNotExists: true })).toBe('Option "[if-not-exists]" can\'t be used with option "[delete]"');
    expect(check({ delete: true, topic: 't', excludeInternal: true })).toBe(
      'Option "[exclude-internal]" can\'t be used with option "[delete]"',
    );
  });

  it('checks partition and replication counts on create', () => {
    expect(check({ create: true, topic: 't', partitions: 0 })).toBe('The partitions must be greater than 0');
    expect(check({ create: true, topic: 't', replicationFactor: 0 })).toBe('The replication factor must be between 1 and 32767 inclusive');
    expect(check({ create: true, topic: 't', replicationFactor: 32768 })).toBe(
      'The replication factor must be between 1 and 32767 inclusive',
    );
  });

  it('builds the request with configs, assignment and health filters', () => {
    const req = validateTopicsFlags({
      create: true,
      topic: 'orders',
      config: ['retention.ms = 1000', 'cleanup.policy=compact'],
      replicaAssignment: '1:2,2:3',
      ifNotExists: true,
    });
    expect(req).toMatchObject({
      action: 'create',
      topic: 'orders',
      ifNotExists: true,
      replicaAssignment: [
        [1, 2],
        [2, 3],
      ],
    });
    expect([...req.configs]).toEqual([
      ['retention.ms', '1000'],
      ['cleanup.policy', 'compact'],
    ]);
    const d = validateTopicsFlags({ describe: true, unavailablePartitions: true, atMinIsrPartitions: true });
    expect(d.healthFilters).toEqual(['unavailable', 'at-min-isr']);
    // Kafka's DescribeTopicsOptions default page size unless --partition-size-limit-per-response.
    expect(d.partitionSizeLimitPerResponse).toBe(2000);
    expect(validateTopicsFlags({ describe: true, partitionSizeLimitPerResponse: 5 }).partitionSizeLimitPerResponse).toBe(5);
  });
});

describe('topic argument parsers', () => {
  it('parses replica assignments and rejects duplicates and uneven replication', () => {
    expect(parseReplicaAssignment('0:1, 1:2,2 :0')).toEqual([
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    expect(usageError(() => parseReplicaAssignment('1:1:2'))).toBe('Error: Partition replica lists may not contain duplicate entries: 1');
    expect(usageError(() => parseReplicaAssignment('1:2,3'))).toBe('Error: Partition 1 has different replication factor: [3]');
    expect(usageError(() => parseReplicaAssignment('1:x'))).toContain("'x' is not a broker id");
  });

  it('splits --config on "=" with spaces around it, and only once', () => {
    expect([...parseTopicConfigs(['a = b'])]).toEqual([['a', 'b']]);
    const msg = 'Error: requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".';
    expect(usageError(() => parseTopicConfigs(['novalue']))).toBe(msg);
    expect(usageError(() => parseTopicConfigs(['a=b=c']))).toBe(msg);
  });

  it('validates topic names with the broker rules', () => {
    const prefix = 'Error while executing topic command : Topic name is invalid: ';
    expect(usageError(() => validateTopicName(''))).toBe(`${prefix}the empty string is not allowed`);
    expect(usageError(() => validateTopicName('..'))).toBe(`${prefix}'..' is not allowed`);
    expect(usageError(() => validateTopicName('a b'))).toBe(
      `${prefix}'a b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`,
    );
    expect(usageError(() => validateTopicName('x'.repeat(250)))).toContain('longer than the max allowed length 249');
    expect(() => validateTopicName('Orders_v1.2-x')).not.toThrow();
  });
});
