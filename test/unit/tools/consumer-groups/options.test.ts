import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/util/errors.js';
import { validateConsumerGroupsFlags, type ConsumerGroupsFlags } from '../../../../src/tools/consumer-groups/consumer-groups-options.js';

function usageError(flags: ConsumerGroupsFlags): string {
  try {
    validateConsumerGroupsFlags(flags);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('consumer-groups option checks with Kafka 3.9 messages', () => {
  it.each<[string, ConsumerGroupsFlags, string]>([
    [
      'no action',
      { group: ['g'], describe: false },
      'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets',
    ],
    [
      'two actions',
      { list: true, delete: true, allGroups: true },
      'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets',
    ],
    ['describe without a group', { describe: true }, 'Option [describe] takes one of these options: [all-groups], [group]'],
    [
      'two describe views',
      { describe: true, group: ['g'], members: true, state: true },
      'Option [describe] takes at most one of these options: [members], [offsets], [state]',
    ],
    [
      'describe --state with a value',
      { describe: true, group: ['g'], state: 'Stable' },
      'Option [describe] does not take a value for [state]',
    ],
    [
      '--members without --describe',
      { list: true, members: true },
      'Option(s) [members] are unavailable given other options on the command line',
    ],
    ['delete without a group', { delete: true }, 'Option [delete] takes one of these options: [all-groups], [group]'],
    [
      'delete with a topic',
      { delete: true, group: ['g'], topic: ['t'] },
      'The consumer does not support topic-specific offset deletion from a consumer group.',
    ],
    [
      'delete-offsets without a topic',
      { deleteOffsets: true, group: ['g'] },
      'Option [delete-offsets] takes the following options: [all-groups], [group]',
    ],
    [
      'reset with dry-run and execute',
      { resetOffsets: true, group: ['g'], dryRun: true, execute: true },
      'Option [reset-offsets] only accepts one of [execute] and [dry-run]',
    ],
    [
      'reset without a group',
      { resetOffsets: true, allTopics: true, toEarliest: true },
      'Option [reset-offsets] takes one of these options: [all-groups], [group]',
    ],
    [
      'two scenarios',
      { resetOffsets: true, group: ['g'], toOffset: 5, toEarliest: true },
      'Option "[to-offset]" can\'t be used with option "[to-earliest]"',
    ],
    [
      "two scenarios, checked in Kafka's order",
      { resetOffsets: true, group: ['g'], shiftBy: 1, toLatest: true },
      'Option "[to-latest]" can\'t be used with option "[shift-by]"',
    ],
    [
      'no scope',
      { resetOffsets: true, group: ['g'], toEarliest: true },
      'One of the reset scopes should be defined: --all-topics, --topic.',
    ],
    [
      'no scenario',
      { resetOffsets: true, group: ['g'], allTopics: true },
      "Option '[reset-offsets]' requires one of the following scenarios: [[to-offset], [to-current], [to-datetime], [from-file], [by-duration], [to-earliest], [to-latest], [shift-by]]",
    ],
    [
      'group and all-groups',
      { describe: true, group: ['g'], allGroups: true },
      'Option "[group]" can\'t be used with option "[all-groups]"',
    ],
    ['group with list', { list: true, group: ['g'] }, 'Option "[group]" can\'t be used with option "[list]"'],
    ['topic with describe', { describe: true, group: ['g'], topic: ['t'] }, 'Option "[topic]" can\'t be used with option "[describe]"'],
    [
      'bad state list',
      { list: true, state: 'stable,sleepy' },
      "Invalid state list 'stable,sleepy'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, Empty, Assigning, Reconciling",
    ],
    [
      'bad topic arg',
      { resetOffsets: true, group: ['g'], topic: ['t:0:1'], toEarliest: true },
      "Invalid topic arg 't:0:1', expected topic name and partitions",
    ],
    [
      'bad partition',
      { resetOffsets: true, group: ['g'], topic: ['t:0,x'], toEarliest: true },
      "Invalid partition 'x' specified in topic arg 't:0,x'",
    ],
    ['watch without describe', { list: true, watch: true }, 'Option --watch and --time-lag need --describe with the offsets view'],
    [
      'watch with members',
      { describe: true, group: ['g'], members: true, watch: 3 },
      'Option --watch and --time-lag need --describe with the offsets view',
    ],
    ['watch with json', { describe: true, group: ['g'], watch: true, json: true }, 'Option --watch cannot be used with --output json'],
  ])('%s', (_, flags, message) => {
    expect(usageError(flags)).toBe(message);
  });

  it('builds requests', () => {
    expect(validateConsumerGroupsFlags({ list: true, state: 'stable,EMPTY' })).toEqual({
      action: 'list',
      showState: true,
      states: new Set(['Stable', 'Empty']),
      showType: false,
      types: new Set(),
    });
    expect(validateConsumerGroupsFlags({ list: true, type: 'CLASSIC' })).toMatchObject({ showType: true, types: new Set(['Classic']) });
    expect(validateConsumerGroupsFlags({ list: true, type: true })).toMatchObject({ showType: true, types: new Set() });
    expect(() => validateConsumerGroupsFlags({ list: true, type: 'share' })).toThrow(
      "Invalid types list 'share'. Valid types are: Consumer, Classic",
    );
    expect(() => validateConsumerGroupsFlags({ describe: true, group: ['g'], type: true })).toThrow(
      'Option(s) [type] are unavailable given other options on the command line',
    );
    expect(validateConsumerGroupsFlags({ list: true, state: true })).toMatchObject({ showState: true, states: new Set() });
    expect(validateConsumerGroupsFlags({ describe: true, allGroups: true, watch: true })).toEqual({
      action: 'describe',
      groups: { all: true },
      view: 'offsets',
      verbose: false,
      timeLag: true,
      watchMs: 2000,
    });
    expect(validateConsumerGroupsFlags({ describe: true, group: ['a', 'b'], members: true, verbose: true })).toMatchObject({
      groups: { all: false, ids: ['a', 'b'] },
      view: 'members',
      verbose: true,
      timeLag: false,
    });
    expect(validateConsumerGroupsFlags({ resetOffsets: true, group: ['g'], topic: ['t', 'u:1,2'], shiftBy: -3 })).toEqual({
      action: 'reset-offsets',
      groups: { all: false, ids: ['g'] },
      singleGroup: true,
      scope: { kind: 'topics', topics: [{ topic: 't' }, { topic: 'u', partitions: [1, 2] }] },
      strategy: { kind: 'shift-by', shift: -3 },
      execute: false,
      export: false,
      implicitDryRun: true,
    });
    expect(validateConsumerGroupsFlags({ resetOffsets: true, allGroups: true, fromFile: 'plan.csv', execute: true })).toMatchObject({
      singleGroup: false,
      scope: { kind: 'from-file' },
      strategy: { kind: 'from-file', path: 'plan.csv' },
      execute: true,
      implicitDryRun: false,
    });
    expect(
      validateConsumerGroupsFlags({
        resetOffsets: true,
        group: ['g'],
        allTopics: true,
        toDatetime: '2024-01-02T03:04:05.006',
        dryRun: true,
      }),
    ).toMatchObject({
      strategy: { kind: 'to-datetime', timestamp: Date.UTC(2024, 0, 2, 3, 4, 5, 6) },
      implicitDryRun: false,
    });
    expect(validateConsumerGroupsFlags({ deleteOffsets: true, group: ['g'], topic: ['t:0'] })).toEqual({
      action: 'delete-offsets',
      group: 'g',
      topics: [{ topic: 't', partitions: [0] }],
      topicArgs: ['t:0'],
    });
  });
});
