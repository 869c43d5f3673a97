import { UsageError } from '../../util/errors.js';
import { parseStateList, parseTypeList, type GroupState, type GroupType } from './group-states.js';
import { parseDateTime, parseDuration } from './reset-time.js';
import { parseTopicArg, type TopicScope } from './topic-partitions.js';

/** The command-line flags as commander hands them over (camelCased). */
export interface ConsumerGroupsFlags {
  list?: boolean;
  describe?: boolean;
  delete?: boolean;
  resetOffsets?: boolean;
  deleteOffsets?: boolean;
  group?: string[];
  allGroups?: boolean;
  topic?: string[];
  allTopics?: boolean;
  members?: boolean;
  offsets?: boolean;
  /** `true` when given without a value. */
  state?: string | boolean;
  /** `--type [types]` (list only): `true` without a value. */
  type?: string | boolean;
  verbose?: boolean;
  dryRun?: boolean;
  execute?: boolean;
  export?: boolean;
  toOffset?: number;
  shiftBy?: number;
  toDatetime?: string;
  byDuration?: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  toCurrent?: boolean;
  fromFile?: string;
  /** Seconds between refreshes; `true` when given without a value. */
  watch?: number | boolean;
  timeLag?: boolean;
  json?: boolean;
}

export type GroupSelection = { all: true } | { all: false; ids: string[] };

export type ResetStrategy =
  | { kind: 'to-offset'; offset: number }
  | { kind: 'shift-by'; shift: number }
  | { kind: 'to-earliest' | 'to-latest' | 'to-current' }
  | { kind: 'to-datetime'; timestamp: number }
  /** Resolved against the clock when the reset runs. */
  | { kind: 'by-duration'; durationMs: number }
  | { kind: 'from-file'; path: string };

export type ResetScope = { kind: 'all-topics' } | { kind: 'topics'; topics: TopicScope[] } | { kind: 'from-file' };

export type DescribeView = 'offsets' | 'members' | 'state';

export type ConsumerGroupsRequest =
  | { action: 'list'; showState: boolean; states: Set<GroupState>; showType: boolean; types: Set<GroupType> }
  | { action: 'describe'; groups: GroupSelection; view: DescribeView; verbose: boolean; timeLag: boolean; watchMs?: number }
  | { action: 'delete'; groups: GroupSelection }
  | {
      action: 'reset-offsets';
      groups: GroupSelection;
      /** Exactly one `--group`: CSV lines without the group column. */
      singleGroup: boolean;
      scope: ResetScope;
      strategy: ResetStrategy;
      execute: boolean;
      export: boolean;
      /** Neither --dry-run nor --execute: Kafka warns that the default may change. */
      implicitDryRun: boolean;
    }
  | { action: 'delete-offsets'; group: string; topics: TopicScope[]; topicArgs: string[] };

type Flag = keyof ConsumerGroupsFlags;

/** jopt-simple renders an option as `[name]`. */
const NAMES: Partial<Record<Flag, string>> = {
  list: 'list',
  describe: 'describe',
  delete: 'delete',
  resetOffsets: 'reset-offsets',
  deleteOffsets: 'delete-offsets',
  group: 'group',
  allGroups: 'all-groups',
  topic: 'topic',
  members: 'members',
  offsets: 'offsets',
  state: 'state',
  type: 'type',
  verbose: 'verbose',
  dryRun: 'dry-run',
  execute: 'execute',
  toOffset: 'to-offset',
  shiftBy: 'shift-by',
  toDatetime: 'to-datetime',
  byDuration: 'by-duration',
  toEarliest: 'to-earliest',
  toLatest: 'to-latest',
  toCurrent: 'to-current',
  fromFile: 'from-file',
};

const opt = (f: Flag): string => `[${NAMES[f] ?? f}]`;

/**
 * Kafka builds these option sets as Java HashSets, so its messages list them in hash order;
 * the arrays below are that order, so the messages match Kafka's word for word.
 */
const GROUP_SCOPE: readonly Flag[] = ['allGroups', 'group'];
const SCENARIOS: readonly Flag[] = ['toOffset', 'toCurrent', 'toDatetime', 'fromFile', 'byDuration', 'toEarliest', 'toLatest', 'shiftBy'];
/** The order ConsumerGroupCommandOptions checks the scenarios in. */
const SCENARIO_CHECKS: readonly Flag[] = [
  'toOffset',
  'toDatetime',
  'byDuration',
  'toEarliest',
  'toLatest',
  'toCurrent',
  'shiftBy',
  'fromFile',
];
const ACTIONS: readonly Flag[] = ['list', 'describe', 'delete', 'resetOffsets', 'deleteOffsets'];

const DEFAULT_WATCH_SECONDS = 2;

/**
 * ConsumerGroupCommandOptions.checkArgs plus the checks ConsumerGroupCommand makes before it
 * connects, with Kafka's messages; all are usage errors (exit 2).
 */
export function validateConsumerGroupsFlags(flags: ConsumerGroupsFlags): ConsumerGroupsRequest {
  const has = (f: Flag): boolean => flags[f] !== undefined && flags[f] !== false;
  const fail = (message: string): never => {
    throw new UsageError(message);
  };
  const noneOf = (flagsList: readonly Flag[]) => flagsList.map(opt).join(', ');
  const checkInvalid = (used: Flag, invalid: readonly Flag[]): void => {
    const clash = has(used) ? invalid.find(has) : undefined;
    if (clash !== undefined) fail(`Option "${opt(used)}" can't be used with option "${opt(clash)}"`);
  };

  for (const [flag, allowed] of [
    ['members', ['describe']],
    ['offsets', ['describe']],
    ['verbose', ['describe']],
    ['state', ['describe', 'list']],
    ['type', ['list']],
  ] as const) {
    if (has(flag) && !allowed.some(has)) fail(`Option(s) ${opt(flag)} are unavailable given other options on the command line`);
  }

  if (has('describe')) {
    if (!has('group') && !has('allGroups')) fail(`Option ${opt('describe')} takes one of these options: ${noneOf(GROUP_SCOPE)}`);
    const views: Flag[] = ['members', 'offsets', 'state'];
    if (views.filter(has).length > 1) fail(`Option ${opt('describe')} takes at most one of these options: ${noneOf(views)}`);
    if (typeof flags.state === 'string') fail(`Option ${opt('describe')} does not take a value for ${opt('state')}`);
  }
  if (has('delete')) {
    if (!has('group') && !has('allGroups')) fail(`Option ${opt('delete')} takes one of these options: ${noneOf(GROUP_SCOPE)}`);
    if (has('topic')) fail('The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (has('deleteOffsets') && (!has('group') || !has('topic'))) {
    fail(`Option ${opt('deleteOffsets')} takes the following options: ${noneOf(GROUP_SCOPE)}`);
  }
  if (has('resetOffsets')) {
    if (has('dryRun') && has('execute')) fail(`Option ${opt('resetOffsets')} only accepts one of ${opt('execute')} and ${opt('dryRun')}`);
    if (!has('group') && !has('allGroups')) fail(`Option ${opt('resetOffsets')} takes one of these options: ${noneOf(GROUP_SCOPE)}`);
    for (const scenario of SCENARIO_CHECKS)
      checkInvalid(
        scenario,
        SCENARIOS.filter((s) => s !== scenario),
      );
  }
  checkInvalid('group', ['allGroups']);
  checkInvalid('group', ['list']);
  checkInvalid('topic', ['describe', 'list']);

  const actions = ACTIONS.filter(has);
  if (actions.length !== 1) {
    fail('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets');
  }
  if ((has('watch') || has('timeLag')) && !(has('describe') && !has('members') && !has('state'))) {
    fail('Option --watch and --time-lag need --describe with the offsets view');
  }
  if (has('watch') && flags.json === true) fail('Option --watch cannot be used with --output json');

  const groups: GroupSelection = has('allGroups') ? { all: true } : { all: false, ids: flags.group ?? [] };
  switch (actions[0]) {
    case 'list': {
      const states = typeof flags.state === 'string' && flags.state !== '' ? parseStateList(flags.state) : new Set<GroupState>();
      const types = typeof flags.type === 'string' && flags.type !== '' ? parseTypeList(flags.type) : new Set<GroupType>();
      return { action: 'list', showState: has('state'), states, showType: has('type'), types };
    }
    case 'describe': {
      const view: DescribeView = has('members') ? 'members' : has('state') ? 'state' : 'offsets';
      const watchMs = has('watch') ? 1000 * (typeof flags.watch === 'number' ? flags.watch : DEFAULT_WATCH_SECONDS) : undefined;
      return {
        action: 'describe',
        groups,
        view,
        verbose: has('verbose'),
        timeLag: has('timeLag') || watchMs !== undefined || flags.json === true,
        ...(watchMs !== undefined ? { watchMs } : {}),
      };
    }
    case 'delete':
      return { action: 'delete', groups };
    case 'deleteOffsets':
      return { action: 'delete-offsets', group: flags.group![0]!, topics: flags.topic!.map(parseTopicArg), topicArgs: flags.topic! };
    default:
      return resetRequest(flags, groups, has);
  }
}

function resetRequest(flags: ConsumerGroupsFlags, groups: GroupSelection, has: (f: Flag) => boolean): ConsumerGroupsRequest {
  let scope: ResetScope;
  if (has('allTopics')) scope = { kind: 'all-topics' };
  else if (has('topic')) scope = { kind: 'topics', topics: flags.topic!.map(parseTopicArg) };
  else if (has('fromFile')) scope = { kind: 'from-file' };
  else throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
  return {
    action: 'reset-offsets',
    groups,
    singleGroup: !groups.all && groups.ids.length === 1,
    scope,
    strategy: resetStrategy(flags),
    execute: has('execute'),
    export: has('export'),
    implicitDryRun: !has('execute') && !has('dryRun'),
  };
}

function resetStrategy(flags: ConsumerGroupsFlags): ResetStrategy {
  if (flags.toOffset !== undefined) return { kind: 'to-offset', offset: flags.toOffset };
  if (flags.shiftBy !== undefined) return { kind: 'shift-by', shift: flags.shiftBy };
  if (flags.toDatetime !== undefined) return { kind: 'to-datetime', timestamp: parseDateTime(flags.toDatetime) };
  if (flags.byDuration !== undefined) return { kind: 'by-duration', durationMs: parseDuration(flags.byDuration) };
  if (flags.fromFile !== undefined) return { kind: 'from-file', path: flags.fromFile };
  if (flags.toEarliest) return { kind: 'to-earliest' };
  if (flags.toLatest) return { kind: 'to-latest' };
  if (flags.toCurrent) return { kind: 'to-current' };
  const scenarios = SCENARIOS.map(opt).join(', ');
  throw new UsageError(`Option '${opt('resetOffsets')}' requires one of the following scenarios: [${scenarios}]`);
}
