import { readFileSync } from 'node:fs';
import { writeFileAtomically } from './file-io.js';
import { LogError } from './log-error.js';
import { topicPartitionKey, type TopicPartition } from './log-file-names.js';

export interface CheckpointEntry extends TopicPartition {
  offset: bigint;
}

const VERSION = '0';
const LINE = /^(\S+) (\d+) (-?\d+)$/;

/**
 * Kafka's CheckpointFile: a version line `0`, a count line, then one entry per line. Replaced
 * atomically, so a crash leaves the previous or the new file.
 */
export function writeCheckpointLines(path: string, lines: readonly string[]): void {
  writeFileAtomically(path, [VERSION, String(lines.length), ...lines, ''].join('\n'));
}

/**
 * The entry lines of a checkpoint file, each parsed by `parse` (undefined: malformed); undefined
 * when the file does not exist, none when it is empty (as Kafka's CheckpointFile creates and reads
 * it). Malformed: CORRUPT_CHECKPOINT.
 */
export function readCheckpointLines<T>(path: string, parse: (line: string) => T | undefined): T[] | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (text === '') return [];
  const corrupt = (why: string) => new LogError('CORRUPT_CHECKPOINT', `Checkpoint file ${path}: ${why}`);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== VERSION) throw corrupt(`unrecognized version ${JSON.stringify(lines[0] ?? '')}`);
  const count = /^\d+$/.test(lines[1] ?? '') ? Number(lines[1]) : NaN;
  if (count !== lines.length - 2) throw corrupt(`expected ${lines[1]} entries, found ${lines.length - 2}`);
  return lines.slice(2).map((line) => {
    const entry = parse(line);
    if (entry === undefined) throw corrupt(`malformed line ${JSON.stringify(line)}`);
    return entry;
  });
}

/**
 * Kafka's offset checkpoint files (recovery-point-offset-checkpoint, log-start-offset-checkpoint,
 * replication-offset-checkpoint): lines `topic partition offset`.
 */
export function writeOffsetCheckpoint(path: string, entries: Iterable<CheckpointEntry>): void {
  writeCheckpointLines(
    path,
    [...entries].map((e) => `${e.topic} ${e.partition} ${e.offset}`),
  );
}

/** Offsets by `<topic>-<partition>`; empty when the file does not exist. Malformed: CORRUPT_CHECKPOINT. */
export function readOffsetCheckpoint(path: string): Map<string, bigint> {
  const entries = readCheckpointLines(path, (line) => {
    const m = LINE.exec(line);
    return m ? ([topicPartitionKey({ topic: m[1]!, partition: Number(m[2]) }), BigInt(m[3]!)] as const) : undefined;
  });
  return new Map(entries);
}
