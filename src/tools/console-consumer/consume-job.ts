import type { ConnectOptions } from '../../client/connect-options.js';
import type { ConsumeRequest } from './consumer-options.js';
import type { FetchSettings, GroupSettings } from './consumer-settings.js';
import type { RecordFormatter } from './output-chunks.js';

/** One console-consumer run: what to read, how to print it, and the client settings to read it with. */
export interface ConsumeJob {
  request: ConsumeRequest;
  formatter: RecordFormatter;
  fetch: FetchSettings;
  /** The group member's settings (with `--group`). */
  group: GroupSettings;
  connect: ConnectOptions;
  output: NodeJS.WritableStream;
  /** Print Kafka's `Unable to write to standard out, closing consumer.` when the output closes. */
  closedOutputNotice?: boolean;
}
