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
 * Kafka's offset checkpoint files (recovery-point-offset-checkpoint, log-start-offset-checkpoint,
 * replication-offset-checkpoint): a version line `0`, a count line, then `topic partition offset`.
 * Replaced atomically, so a crash leaves the previous or the new file.
 */
export function writeOffsetCheckpoint(path: string, entries: Iterable<CheckpointEntry>): void {
  const lines = [...entries].map((e) => `${e.topic} ${e.partition} ${e.offset}`);
  writeFileAtomically(path, [VERSION, String(lines.length), ...lines, ''].join('\n'));
}

/** Offsets by `<topic>-<partition>`; empty when the file does not exist. Malformed: CORRUPT_CHECKPOINT. */
export function readOffsetCheckpoint(path: string): Map<string, bigint> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const corrupt = (why: string) => new LogError('CORRUPT_CHECKPOINT', `Checkpoint file ${path}: ${why}`);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== VERSION) throw corrupt(`unrecognized version ${JSON.stringify(lines[0] ?? '')}`);
  const count = /^\d+$/.test(lines[1] ?? '') ? Number(lines[1]) : NaN;
  if (count !== lines.length - 2) throw corrupt(`expected ${lines[1]} entries, found ${lines.length - 2}`);
  const offsets = new Map<string, bigint>();
  for (const line of lines.slice(2)) {
    const m = LINE.exec(line);
    if (!m) throw corrupt(`malformed line ${JSON.stringify(line)}`);
    offsets.set(topicPartitionKey({ topic: m[1]!, partition: Number(m[2]) }), BigInt(m[3]!));
  }
  return offsets;
}
