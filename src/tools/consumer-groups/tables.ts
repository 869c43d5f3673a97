import type { GroupOffsets } from './offsets-csv.js';
import type { TopicPartition } from './topic-partitions.js';

/**
 * The text layouts of kafka-consumer-groups.sh (ConsumerGroupCommand), printf widths and all.
 * Tables put a newline before every line and one after the last, as Kafka does since
 * apache/kafka#17058 fixed 3.9's missing final newlines (4.0).
 */

/** Kafka's placeholder for a value it does not have. */
export const MISSING = '-';

/** Java's `%-Ns`. */
const pad = (value: string, width: number): string => value.padEnd(width);

const width = (values: Iterable<string>, min: number): number => Math.max(min, ...[...values].map((v) => v.length));

export interface OffsetRow {
  group: string;
  topic?: string;
  partition?: number;
  currentOffset?: number;
  logEndOffset?: number;
  lag?: number;
  consumerId?: string;
  host?: string;
  clientId?: string;
  /** Age of the next unconsumed record; 0 when caught up; undefined when unknown. */
  timeLagMs?: number;
}

const show = (value: string | number | undefined): string => (value === undefined ? MISSING : String(value));

/** `--describe [--offsets]`; `timeLag` adds kts's TIME-LAG column after CLIENT-ID. */
export function offsetsTable(rows: readonly OffsetRow[], timeLag = false): string {
  const g = width(
    rows.map((r) => r.group),
    15,
  );
  const t = width(
    rows.map((r) => show(r.topic)),
    15,
  );
  const c = width(
    rows.map((r) => show(r.consumerId)),
    15,
  );
  const h = width(
    rows.map((r) => show(r.host)),
    15,
  );
  const l = width(
    rows.map((r) => show(r.clientId)),
    15,
  );
  const line = (cells: string[]): string => {
    const [group, topic, partition, current, end, lag, consumer, host, client, age] = cells as [string, ...string[]];
    const fixed = `\n${pad(group, g)} ${pad(topic!, t)} ${pad(partition!, 10)} ${pad(current!, 15)} ${pad(end!, 15)} ${pad(lag!, 15)} ${pad(consumer!, c)} ${pad(host!, h)} `;
    return timeLag ? `${fixed}${pad(client!, l)} ${age}` : `${fixed}${client}`;
  };
  let out = line([
    'GROUP',
    'TOPIC',
    'PARTITION',
    'CURRENT-OFFSET',
    'LOG-END-OFFSET',
    'LAG',
    'CONSUMER-ID',
    'HOST',
    'CLIENT-ID',
    'TIME-LAG',
  ]);
  for (const r of rows) {
    out += line([
      r.group,
      show(r.topic),
      show(r.partition),
      show(r.currentOffset),
      show(r.logEndOffset),
      show(r.lag),
      show(r.consumerId),
      show(r.host),
      show(r.clientId),
      r.timeLagMs === undefined ? MISSING : formatAge(r.timeLagMs),
    ]);
  }
  return `${out}\n`;
}

export interface MemberRow {
  group: string;
  consumerId: string;
  /** Empty for a dynamic member. */
  groupInstanceId: string;
  host: string;
  clientId: string;
  assignment: TopicPartition[];
}

/** `--describe --members [--verbose]`; GROUP-INSTANCE-ID only when some member is static. */
export function membersTable(rows: readonly MemberRow[], verbose: boolean): string {
  const g = width(
    rows.map((r) => r.group),
    15,
  );
  const c = width(
    rows.map((r) => r.consumerId),
    15,
  );
  const i = width(
    rows.map((r) => r.groupInstanceId),
    17,
  );
  const h = width(
    rows.map((r) => r.host),
    15,
  );
  const l = width(
    rows.map((r) => r.clientId),
    15,
  );
  const withInstance = rows.some((r) => r.groupInstanceId !== '');
  const cells = (group: string, consumer: string, instance: string, host: string, client: string, count: string): string =>
    `${pad(group, g)} ${pad(consumer, c)} ${withInstance ? `${pad(instance, i)} ` : ''}${pad(host, h)} ${pad(client, l)} ${pad(count, 15)} `;
  let out = `\n${cells('GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS')}${verbose ? 'ASSIGNMENT' : ''}\n`;
  for (const r of rows) {
    out += cells(r.group, r.consumerId, r.groupInstanceId, r.host, r.clientId, String(r.assignment.length));
    out += `${verbose ? assignmentText(r.assignment) : ''}\n`;
  }
  return out;
}

/**
 * Kafka's `--verbose` ASSIGNMENT cell: each topic's partitions as `(0,1,2)`, sorted as strings,
 * the topics' groups sorted as strings too, and no topic names.
 */
export function assignmentText(assignment: readonly TopicPartition[]): string {
  if (assignment.length === 0) return MISSING;
  const byTopic = new Map<string, string[]>();
  for (const { topic, partition } of assignment) byTopic.set(topic, [...(byTopic.get(topic) ?? []), String(partition)]);
  return [...byTopic.values()]
    .map((ps) => `(${ps.sort().join(',')})`)
    .sort()
    .join(', ');
}

export interface StateRow {
  group: string;
  coordinator: { id: number; host: string; port: number };
  assignmentStrategy: string;
  state: string;
  members: number;
}

/** `--describe --state`. Kafka sizes the GROUP column by the coordinator text; so do we. */
export function stateTable(row: StateRow): string {
  const coordinator = `${row.coordinator.host}:${row.coordinator.port}  (${row.coordinator.id})`;
  const c = Math.max(25, coordinator.length);
  const line = (a: string, b: string, d: string, e: string, f: string) => `\n${pad(a, c)} ${pad(b, 25)} ${pad(d, 20)} ${pad(e, 15)} ${f}`;
  return `${line('GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS')}${line(row.group, coordinator, row.assignmentStrategy, row.state, String(row.members))}\n`;
}

/** `--list --state`: GROUP padded to the longest id (at least 15) plus 10, then STATE. */
export function listTable(
  groups: ReadonlyArray<{ group: string; state: string; type: string }>,
  columns: { type: boolean; state: boolean },
): string {
  const g =
    width(
      groups.map((x) => x.group),
      15,
    ) + 10;
  const line = (group: string, type: string, state: string) =>
    `${pad(group, g)}${columns.type ? ` ${pad(type, 20)}` : ''}${columns.state ? ` ${pad(state, 20)}` : ''}\n`;
  return line('GROUP', 'TYPE', 'STATE') + groups.map((x) => line(x.group, x.type, x.state)).join('');
}

/** The `--reset-offsets` plan without `--export`. */
export function resetTable(plans: readonly GroupOffsets[]): string {
  const line = (a: string, b: string, c: string, d: string) => `\n${pad(a, 30)} ${pad(b, 30)} ${pad(c, 10)} ${pad(d, 15)}`;
  let out = line('GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET');
  for (const { group, offsets } of plans) {
    for (const o of offsets) out += line(group, o.topic, String(o.partition), String(o.offset));
  }
  return `${out}\n`;
}

export interface DeleteOffsetsRow {
  topic: string;
  /** Absent when the topic itself could not be described. */
  partition?: number;
  error?: string;
}

/** `--delete-offsets` results, sorted as Kafka sorts them: by topic name and partition concatenated. */
export function deleteOffsetsTable(rows: readonly DeleteOffsetsRow[]): string {
  const line = (a: string, b: string, c: string) => `\n${pad(a, 30)} ${pad(b, 15)} ${pad(c, 15)}`;
  const key = (r: DeleteOffsetsRow) => `${r.topic}${r.partition ?? -1}`;
  const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  let out = line('TOPIC', 'PARTITION', 'STATUS');
  for (const r of sorted) {
    out += line(
      r.topic,
      r.partition === undefined ? 'Not Provided' : String(r.partition),
      r.error === undefined ? 'Successful' : `Error: :${r.error}`,
    );
  }
  return `${out}\n`;
}

/** A time lag for people: `850ms`, `12.3s`, `4m05s`, `2h07m`, `3d04h`. */
export function formatAge(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor(s / 3600) % 24)}h`;
}
