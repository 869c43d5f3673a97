/** The classic group protocol's states, spelled as Kafka reports them (DescribeGroups, ListGroups). */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export const GROUP_STATES: readonly GroupState[] = ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'];

/** The states each state may be entered from (Kafka's GroupState.validPreviousStates). */
const VALID_PREVIOUS: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Empty', 'Stable', 'CompletingRebalance'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'],
};

export function canTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}

/** ListGroups' states filter matches Kafka's state names case-insensitively. */
export function parseGroupState(name: string): GroupState | undefined {
  const lower = name.toLowerCase();
  return GROUP_STATES.find((s) => s.toLowerCase() === lower);
}
