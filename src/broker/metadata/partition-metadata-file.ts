import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../log/file-io.js';

/** Kafka's per-partition `partition.metadata`: the topic id, so a recreated topic's stale dir is recognisable. */
export const PARTITION_METADATA_FILE = 'partition.metadata';

export function writePartitionMetadata(partitionDir: string, topicId: string): void {
  writeFileAtomically(join(partitionDir, PARTITION_METADATA_FILE), `version: 0\ntopic_id: ${topicId}\n`);
}

/** The topic id recorded in a partition dir, or undefined when the file is missing or unreadable. */
export function readPartitionMetadata(partitionDir: string): string | undefined {
  try {
    return /^topic_id: (\S+)$/m.exec(readFileSync(join(partitionDir, PARTITION_METADATA_FILE), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}
