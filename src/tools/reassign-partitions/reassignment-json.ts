import { KtsError } from '../../util/errors.js';

/** A partition as Kafka's TopicPartition prints it: `topic-0`. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export function formatPartition(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** Kafka's compareTopicPartitions: by topic, then partition. */
export function comparePartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

export interface PartitionTarget extends TopicPartition {
  readonly replicas: number[];
  /** `log_dirs`, `any` where the broker picks. */
  readonly logDirs: string[];
}

export const ANY_LOG_DIR = 'any';

/** Kafka's formatAsReassignmentJson: version 1, partitions sorted, `log_dirs` all `any`. */
export function formatReassignmentJson(assignment: ReadonlyArray<TopicPartition & { replicas: readonly number[] }>): string {
  const partitions = [...assignment].sort(comparePartitions).map((p) => ({
    topic: p.topic,
    partition: p.partition,
    replicas: p.replicas,
    log_dirs: p.replicas.map(() => ANY_LOG_DIR),
  }));
  return JSON.stringify({ version: 1, partitions });
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new KtsError(`Error: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new KtsError('Error: Expected JSON object');
  return value as Record<string, unknown>;
}

function version(json: Record<string, unknown>): void {
  const v = json.version ?? 1;
  if (v !== 1) throw new KtsError(`Error: Not supported version field value ${JSON.stringify(v)}`);
}

function field<T>(obj: unknown, name: string, check: (v: unknown) => v is T, what: string): T {
  const value = (obj as Record<string, unknown>)?.[name];
  if (!check(value))
    throw new KtsError(
      `Error: ${value === undefined ? `No such field exists: \`${name}\`` : `Expected ${what} in \`${name}\`, got ${JSON.stringify(value)}`}`,
    );
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => Number.isInteger(v);
const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

/** Kafka's parseTopicsData: `{"version":1,"topics":[{"topic":"foo"}]}`. */
export function parseTopicsJson(text: string): string[] {
  const json = parseJson(text);
  version(json);
  if (json.topics === undefined) return [];
  return field(json, 'topics', isArray, 'an array').map((t) => field(t, 'topic', isString, 'a string'));
}

/** Kafka's parsePartitionReassignmentData (version 1), without deduplicating, so duplicates can be refused. */
export function parseReassignmentJson(text: string): PartitionTarget[] {
  const json = parseJson(text);
  version(json);
  if (json.partitions === undefined) return [];
  return field(json, 'partitions', isArray, 'an array').map((p) => {
    const topic = field(p, 'topic', isString, 'a string');
    const partition = field(p, 'partition', isInt, 'an int');
    const replicas = field(p, 'replicas', isIntList, 'an array of ints');
    const logDirs =
      (p as Record<string, unknown>).log_dirs === undefined
        ? replicas.map(() => ANY_LOG_DIR)
        : field(p, 'log_dirs', isStringList, 'an array of strings');
    if (logDirs.length !== replicas.length) {
      throw new KtsError(
        `Error: Size of replicas list [${replicas.join(', ')}] is different from size of log dirs list [${logDirs.join(', ')}] for partition ${topic}-${partition}`,
      );
    }
    return { topic, partition, replicas, logDirs };
  });
}

/** Kafka's parseExecuteAssignmentArgs checks: not empty, no partition twice, no replica twice in a list. */
export function checkExecutable(targets: readonly PartitionTarget[]): void {
  if (targets.length === 0) throw new KtsError('Error: Partition reassignment list cannot be empty');
  if (targets.some((t) => t.replicas.length === 0)) throw new KtsError('Error: Partition replica list cannot be empty');
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const t of targets) {
    const name = formatPartition(t);
    if (seen.has(name)) duplicated.add(name);
    seen.add(name);
  }
  if (duplicated.size > 0)
    throw new KtsError(`Error: Partition reassignment contains duplicate topic partitions: ${[...duplicated].join(',')}`);
  const lists = targets
    .map((t) => [t, t.replicas.filter((r, i) => t.replicas.indexOf(r) !== i)] as const)
    .filter(([, dups]) => dups.length > 0)
    .map(([t, dups]) => `${formatPartition(t)} contains multiple entries for ${[...new Set(dups)].join(',')}`);
  if (lists.length > 0) throw new KtsError(`Error: Partition replica lists may not contain duplicate entries: ${lists.join('. ')}`);
}
