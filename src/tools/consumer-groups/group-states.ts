import { UsageError } from '../../util/errors.js';

/** Kafka's ConsumerGroupState names, in its enum order (which its error message lists). */
export const GROUP_STATES = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty', 'Assigning', 'Reconciling'] as const;

export type GroupState = (typeof GROUP_STATES)[number] | 'Unknown';

/** ConsumerGroupState.parse: case-insensitive; anything else is `Unknown`. */
export function parseGroupState(name: string): GroupState {
  return GROUP_STATES.find((s) => s.toUpperCase() === name.trim().toUpperCase()) ?? 'Unknown';
}

/** `--list --state a,b`: a set of known states, or Kafka's usage error naming the valid ones. */
export function parseStateList(input: string): Set<GroupState> {
  const states = new Set(input.split(',').map(parseGroupState));
  if (states.has('Unknown')) {
    throw new UsageError(`Invalid state list '${input}'. Valid states are: ${GROUP_STATES.join(', ')}`);
  }
  return states;
}

const REBALANCING: ReadonlySet<GroupState> = new Set(['PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling']);

export function isRebalancing(state: GroupState): boolean {
  return REBALANCING.has(state);
}

/** Only groups without members may have their offsets reset (ConsumerGroupService.resetOffsets). */
export function isInactive(state: GroupState): boolean {
  return state === 'Empty' || state === 'Dead';
}

/** Kafka's GroupType names (its toString), in enum order; `Unknown` for a broker that does not say. */
export const GROUP_TYPES = ['Consumer', 'Classic'] as const;

export type GroupType = (typeof GROUP_TYPES)[number] | 'Unknown';

/** GroupType.parse: case-insensitive; anything else is `Unknown`. */
export function parseGroupType(name: string): GroupType {
  return GROUP_TYPES.find((t) => t.toLowerCase() === name.trim().toLowerCase()) ?? 'Unknown';
}

/** `--list --type a,b`: a set of known types, or Kafka's usage error naming the valid ones. */
export function parseTypeList(input: string): Set<GroupType> {
  const types = new Set(input.toLowerCase().split(',').map(parseGroupType));
  if (types.has('Unknown')) throw new UsageError(`Invalid types list '${input}'. Valid types are: ${GROUP_TYPES.join(', ')}`);
  return types;
}
