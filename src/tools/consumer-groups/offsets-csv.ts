import { KtsError } from '../../util/errors.js';
import type { PlannedOffset } from './reset-plan.js';

export interface GroupOffsets {
  group: string;
  offsets: PlannedOffset[];
}

/**
 * `--export`: one CSV line per partition, `topic,partition,offset` when exactly one `--group`
 * was given, else `group,topic,partition,offset`; no header, as Kafka's CsvUtils writes.
 */
export function exportCsv(plans: readonly GroupOffsets[], withGroup: boolean): string {
  let out = '';
  for (const { group, offsets } of plans) {
    for (const { topic, partition, offset } of offsets) {
      const fields = [topic, String(partition), String(offset)];
      out += `${(withGroup ? [group, ...fields] : fields).map(csvField).join(',')}\n`;
    }
  }
  return out;
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$|^$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * `--from-file`: the reset plan per group. A file of three-column lines belongs to `singleGroup`
 * (the only `--group`); otherwise every line names its group, as ConsumerGroupService.parseResetPlan reads.
 */
export function parseResetCsv(text: string, singleGroup: string | undefined): Map<string, PlannedOffset[]> {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  // Java's split drops trailing empty strings.
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const withoutGroup = singleGroup !== undefined && lines.length > 0 && planEntry(parseCsvLine(lines[0]!) ?? [], false) !== undefined;
  const plans = new Map<string, PlannedOffset[]>();
  lines.forEach((line, i) => {
    const entry = planEntry(parseCsvLine(line) ?? [], !withoutGroup);
    if (entry === undefined) {
      const columns = withoutGroup ? 'topic,partition,offset' : 'group,topic,partition,offset';
      throw new KtsError(`Error: invalid reset plan line ${i + 1}: '${line}' (expected ${columns})`);
    }
    const group = withoutGroup ? singleGroup! : entry.group;
    const offsets = plans.get(group) ?? [];
    offsets.push({ topic: entry.topic, partition: entry.partition, offset: entry.offset });
    plans.set(group, offsets);
  });
  return plans;
}

function planEntry(fields: string[], withGroup: boolean): (PlannedOffset & { group: string }) | undefined {
  if (fields.length !== (withGroup ? 4 : 3)) return undefined;
  const [group, topic, partition, offset] = withGroup ? fields : ['', ...fields];
  if (!/^[+-]?\d+$/.test(partition!) || !/^[+-]?\d+$/.test(offset!)) return undefined;
  const p = Number(partition);
  const o = Number(offset);
  if (p < 0 || p > 2 ** 31 - 1 || !Number.isSafeInteger(o) || topic === '') return undefined;
  return { group: group!, topic: topic!, partition: p, offset: o };
}

/** RFC 4180 fields of one line; undefined for an unterminated quote. */
function parseCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] !== '"') break;
          i++;
        }
        field += line[i++];
      }
      i++;
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++;
  }
}
