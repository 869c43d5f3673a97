import { UsageError } from '../../util/errors.js';

/**
 * `--replica-assignment 1:2,2:3`: partitions separated by commas, replica broker ids by colons
 * (TopicCommand.parseReplicaAssignment). Index i of the result is partition i.
 */
export function parseReplicaAssignment(text: string): number[][] {
  const out: number[][] = [];
  for (const [i, partition] of text.split(',').entries()) {
    const replicas = partition.split(':').map((id) => {
      const trimmed = id.trim();
      if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
        throw new UsageError(`Error: invalid --replica-assignment '${text}': '${trimmed}' is not a broker id`);
      }
      return Number(trimmed);
    });
    const duplicates = [...new Set(replicas.filter((id, j) => replicas.indexOf(id) !== j))];
    if (duplicates.length > 0) {
      throw new UsageError(`Error: Partition replica lists may not contain duplicate entries: ${duplicates.join(',')}`);
    }
    if (out.length > 0 && replicas.length !== out[0]!.length) {
      throw new UsageError(`Error: Partition ${i} has different replication factor: [${replicas.join(', ')}]`);
    }
    out.push(replicas);
  }
  return out;
}
