import type { ConsumerGroupsRequest, GroupSelection } from './consumer-groups-options.js';
import { deleteGroupsReport } from './delete-groups.js';
import { deleteOffsets, deleteOffsetsSummary } from './delete-offsets.js';
import { describeMembers, describeOffsets, describeStates, groupNotice, type GroupReport } from './describe.js';
import type { GroupCluster } from './group-cluster.js';
import { exportCsv } from './offsets-csv.js';
import { resetOffsets } from './reset.js';
import {
  deleteOffsetsTable,
  listTable,
  membersTable,
  offsetsTable,
  resetTable,
  stateTable,
  type MemberRow,
  type OffsetRow,
  type StateRow,
} from './tables.js';
import { watchOffsets } from './watch.js';

export interface ActionIO {
  out(text: string): void;
  err(text: string): void;
  json: boolean;
  isTTY: boolean;
  readFile(path: string): string;
  now(): number;
  /** Ends `--watch`. */
  signal: AbortSignal;
  /** Long work's progress (reset-offsets over many groups); drawn only on a terminal. */
  progress?(done: number, total: number): void;
}

/** Kafka's RESET-OFFSETS warning when neither --dry-run nor --execute is given. */
export const IMPLICIT_DRY_RUN_WARNING =
  'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.';

/** Runs one validated request; false when something failed after output was written (exit 1). */
export async function runAction(cluster: GroupCluster, req: ConsumerGroupsRequest, io: ActionIO): Promise<boolean> {
  const groupIds = (groups: GroupSelection) => (groups.all ? cluster.consumerGroupIds() : Promise.resolve(groups.ids));
  switch (req.action) {
    case 'list':
      return list(cluster, req, io);
    case 'describe': {
      if (req.watchMs !== undefined) {
        await watchOffsets(cluster, () => groupIds(req.groups), req.watchMs, { write: io.out, isTTY: io.isTTY }, io.signal);
        return true;
      }
      const ids = await groupIds(req.groups);
      if (req.view === 'members')
        return report(await describeMembers(cluster, ids), io, (r) => membersTable(r.rows, req.verbose), membersJson);
      if (req.view === 'state') return report(await describeStates(cluster, ids), io, (r) => stateTable(r.rows[0]!), stateJson);
      return report(await describeOffsets(cluster, ids, req.timeLag, io.now), io, (r) => offsetsTable(r.rows, req.timeLag), offsetsJson);
    }
    case 'delete': {
      const results = await cluster.deleteGroups(await groupIds(req.groups));
      const report = deleteGroupsReport(results);
      io.err(report.stderr);
      if (io.json) {
        const entries = [...results];
        const failed = entries.filter(([, error]) => error !== undefined).map(([group, error]) => ({ group, error }));
        writeJson(io, { deleted: entries.filter(([, error]) => error === undefined).map(([g]) => g), failed });
      } else {
        io.out(report.stdout);
      }
      return report.ok;
    }
    case 'reset-offsets': {
      if (req.implicitDryRun) io.err(`${IMPLICIT_DRY_RUN_WARNING}\n`);
      const outcome = await resetOffsets(cluster, req, io);
      for (const line of [...outcome.warnings, ...outcome.errors]) io.err(`${line}\n`);
      if (io.json)
        writeJson(
          io,
          outcome.plans.flatMap((p) => p.offsets.map((o) => ({ group: p.group, ...o }))),
        );
      else if (req.export) io.out(`${exportCsv(outcome.plans, !req.singleGroup)}\n`);
      else if (outcome.plans.length > 0) io.out(resetTable(outcome.plans));
      return outcome.errors.length === 0;
    }
    case 'delete-offsets': {
      const outcome = await deleteOffsets(cluster, req.group, req.topics);
      const summary = deleteOffsetsSummary(req.group, req.topicArgs, outcome.errorCode);
      // Kafka prints the summary on stdout on success; with JSON only a failure is worth a line.
      if (!summary.ok || !io.json) (summary.ok ? io.out : io.err)(`${summary.line}\n`);
      if (io.json) {
        writeJson(io, {
          group: req.group,
          partitions: outcome.rows.map((r) => ({ topic: r.topic, partition: orNull(r.partition), error: orNull(r.error) })),
        });
      } else {
        io.out(deleteOffsetsTable(outcome.rows));
      }
      return summary.ok;
    }
  }
}

async function list(cluster: GroupCluster, req: Extract<ConsumerGroupsRequest, { action: 'list' }>, io: ActionIO): Promise<boolean> {
  const ids = await cluster.consumerGroupIds();
  if (!req.showState && !req.showType && !io.json) {
    io.out(ids.map((id) => `${id}\n`).join(''));
    return true;
  }
  const types = req.showType ? await cluster.groupTypes() : undefined;
  const groups = (await cluster.describe(ids))
    .map((d) => ({ group: d.group, state: d.state, type: types?.get(d.group) ?? 'Unknown' }))
    .filter((g) => (req.states.size === 0 || req.states.has(g.state)) && (req.types.size === 0 || req.types.has(g.type)));
  if (io.json)
    writeJson(
      io,
      groups.map((g) => ({ group: g.group, ...(req.showType ? { type: g.type } : {}), state: g.state })),
    );
  else io.out(listTable(groups, { type: req.showType, state: req.showState }));
  return true;
}

/** Prints each group's notice and table (or all as one JSON array); false when a group does not exist. */
function report<Row>(
  reports: Array<GroupReport<Row>>,
  io: ActionIO,
  table: (r: GroupReport<Row>) => string,
  json: (r: GroupReport<Row>) => unknown,
): boolean {
  let ok = true;
  for (const r of reports) {
    const notice = groupNotice(r.group, r.state, r.rows.length);
    if (notice.missing) ok = false;
    if (notice.message !== undefined && (!io.json || notice.missing)) io.err(`${notice.message}\n`);
    if (notice.show && !io.json) io.out(table(r));
  }
  if (io.json) writeJson(io, reports.map(json));
  return ok;
}

function writeJson(io: ActionIO, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

const orNull = <T>(value: T | undefined): T | null => value ?? null;

function offsetsJson(r: GroupReport<OffsetRow>): unknown {
  return {
    group: r.group,
    state: r.state,
    partitions: r.rows.map((row) => ({
      topic: row.topic,
      partition: row.partition,
      currentOffset: orNull(row.currentOffset),
      logEndOffset: orNull(row.logEndOffset),
      lag: orNull(row.lag),
      timeLagMs: orNull(row.timeLagMs),
      consumerId: orNull(row.consumerId),
      host: orNull(row.host),
      clientId: orNull(row.clientId),
    })),
  };
}

function membersJson(r: GroupReport<MemberRow>): unknown {
  return {
    group: r.group,
    state: r.state,
    members: r.rows.map((m) => ({
      consumerId: m.consumerId,
      groupInstanceId: m.groupInstanceId === '' ? null : m.groupInstanceId,
      host: m.host,
      clientId: m.clientId,
      assignment: m.assignment,
    })),
  };
}

function stateJson(r: GroupReport<StateRow>): unknown {
  const row = r.rows[0];
  return row === undefined
    ? { group: r.group, state: r.state }
    : { group: r.group, state: r.state, coordinator: row.coordinator, assignmentStrategy: row.assignmentStrategy, members: row.members };
}
