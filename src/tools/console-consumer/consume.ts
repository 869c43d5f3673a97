import type { ConnectOptions } from '../../client/connect.js';
import { consumeAssigned } from './assigned-consume.js';
import type { ConsumeRequest } from './consumer-options.js';
import type { ConsumerTuning, FetchSettings } from './consumer-settings.js';
import type { RecordFormatter } from './output-chunks.js';

export interface ConsumeJob {
  request: ConsumeRequest;
  formatter: RecordFormatter;
  /** The kafkajs consumer's settings (`--group`). */
  tuning: ConsumerTuning;
  /** The native fetcher's settings (no group). */
  fetch: FetchSettings;
  connect: ConnectOptions;
  output: NodeJS.WritableStream;
}

/**
 * Reads records until `--max-messages`, `--timeout-ms` idleness, `--exit-at-end`, a signal or an
 * error, and prints Kafka's `Processed a total of N messages` on stderr at the end. With a group
 * (`--group` or group.id) through kafkajs as a group member; without one, with kts's own fetcher.
 */
export async function consume(job: ConsumeJob): Promise<void> {
  if (job.request.group === null) return consumeAssigned(job);
  // kafkajs takes a while to load: only the group path pays for it.
  const { consumeInGroup } = await import('./group-consume.js');
  return consumeInGroup(job);
}
