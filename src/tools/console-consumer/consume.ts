import { consumeAssigned } from './assigned-consume.js';
import type { ConsumeJob } from './consume-job.js';
import { consumeInGroup } from './group-consume.js';

/**
 * Reads records until `--max-messages`, `--timeout-ms` idleness, `--exit-at-end`, a signal, a
 * closed output or an error, and prints Kafka's `Processed a total of N messages` on stderr at the
 * end. With a group (`--group` or group.id) as a group member; without one, partitions are read
 * directly. Both run on kts's own client.
 */
export function consume(job: ConsumeJob): Promise<void> {
  const { group } = job.request;
  return group === null ? consumeAssigned(job) : consumeInGroup(job, group);
}
