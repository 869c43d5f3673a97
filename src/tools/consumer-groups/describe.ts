import type { GroupCluster, GroupDescription } from './group-cluster.js';
import { isRebalancing, type GroupState } from './group-states.js';
import type { PlannedOffset } from './reset-plan.js';
import type { MemberRow, OffsetRow, StateRow } from './tables.js';
import { comparePartitions, partitionKey, type TopicPartition } from './topic-partitions.js';

export interface GroupReport<Row> {
  group: string;
  state: GroupState;
  rows: Row[];
}

/**
 * ConsumerGroupService.collectGroupsOffsets: a row per partition of each member's assignment
 * (members with the most partitions first), then a row per committed partition no member owns.
 * With `timeLag`, lagging rows also get the age of their next unconsumed record.
 */
export async function describeOffsets(
  cluster: GroupCluster,
  ids: readonly string[],
  timeLag: boolean,
  now: () => number = Date.now,
): Promise<Array<GroupReport<OffsetRow>>> {
  const reports: Array<GroupReport<OffsetRow>> = [];
  for (const description of await cluster.describe(ids)) {
    const committed = await cluster.committed(description.group);
    const rows = assignmentRows(description, committed);
    const ranges = await cluster.logRanges(rows.filter(isPartitionRow));
    for (const row of rows.filter(isPartitionRow)) {
      const end = ranges.get(partitionKey(row))?.end;
      if (end !== undefined) row.logEndOffset = end;
      if (end !== undefined && row.currentOffset !== undefined) row.lag = end - row.currentOffset;
    }
    if (timeLag) await addTimeLag(cluster, rows, now);
    reports.push({ group: description.group, state: description.state, rows });
  }
  return reports;
}

type PartitionRow = OffsetRow & TopicPartition;

function isPartitionRow(row: OffsetRow): row is PartitionRow {
  return row.topic !== undefined && row.partition !== undefined;
}

function assignmentRows(description: GroupDescription, committed: ReadonlyMap<string, PlannedOffset>): OffsetRow[] {
  const { group } = description;
  const row = (tp: TopicPartition, member?: { consumerId: string; host: string; clientId: string }): OffsetRow => {
    const offset = committed.get(partitionKey(tp))?.offset;
    return { group, ...tp, ...(offset !== undefined ? { currentOffset: offset } : {}), ...(member ?? {}) };
  };
  const assigned = new Set<string>();
  const rows: OffsetRow[] = [];
  const members = description.members.filter((m) => m.assignment.length > 0).sort((a, b) => b.assignment.length - a.assignment.length);
  for (const m of members) {
    for (const tp of [...m.assignment].sort(comparePartitions)) {
      assigned.add(partitionKey(tp));
      rows.push(row(tp, m));
    }
  }
  const unassigned = [...committed.values()].filter((tp) => !assigned.has(partitionKey(tp))).sort(comparePartitions);
  for (const tp of unassigned) rows.push(row({ topic: tp.topic, partition: tp.partition }));
  return rows;
}

async function addTimeLag(cluster: GroupCluster, rows: OffsetRow[], now: () => number): Promise<void> {
  const lagging = rows.filter(
    (r): r is PartitionRow & { currentOffset: number } => isPartitionRow(r) && (r.lag ?? 0) > 0 && r.currentOffset !== undefined,
  );
  const timestamps = await cluster.recordTimestamps(
    lagging.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.currentOffset })),
  );
  const at = now();
  for (const r of rows) {
    if (r.lag === 0) r.timeLagMs = 0;
    const ts = isPartitionRow(r) ? timestamps.get(partitionKey(r)) : undefined;
    if (ts !== undefined) r.timeLagMs = Math.max(0, at - ts);
  }
}

/** ConsumerGroupService.collectGroupsMembers. */
export async function describeMembers(cluster: GroupCluster, ids: readonly string[]): Promise<Array<GroupReport<MemberRow>>> {
  return (await cluster.describe(ids)).map((d) => ({
    group: d.group,
    state: d.state,
    rows: d.members.map((m) => ({ group: d.group, ...m })),
  }));
}

/** ConsumerGroupService.collectGroupsState. */
export async function describeStates(cluster: GroupCluster, ids: readonly string[]): Promise<Array<GroupReport<StateRow>>> {
  return (await cluster.describe(ids)).map((d) => ({
    group: d.group,
    state: d.state,
    rows:
      d.state === 'Dead'
        ? []
        : [
            {
              group: d.group,
              coordinator: d.coordinator,
              assignmentStrategy: d.assignmentStrategy,
              state: d.state,
              members: d.members.length,
            },
          ],
  }));
}

export interface GroupNotice {
  /** Print the group's table. */
  show: boolean;
  /** A line for stderr, if any. */
  message?: string;
  /** The group does not exist: a runtime error. */
  missing: boolean;
}

/** ConsumerGroupService.shouldPrintMemberState: what to say about a group before its table. */
export function groupNotice(group: string, state: GroupState, rowCount: number): GroupNotice {
  if (state === 'Dead') return { show: false, missing: true, message: `Error: Consumer group '${group}' does not exist.` };
  const show = rowCount > 0;
  if (state === 'Empty') return { show, missing: false, message: `\nConsumer group '${group}' has no active members.` };
  if (isRebalancing(state)) return { show, missing: false, message: `\nWarning: Consumer group '${group}' is rebalancing.` };
  return { show, missing: false };
}
