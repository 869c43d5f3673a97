import { CliError } from '../../cli/errors.js';
import { bootstrapBrokers } from '../../client/bootstrap.js';
import type { ConnectOptions } from '../../client/connect.js';
import { describeConnectionError, isConnectionFailure } from '../../client/connection-error.js';

/** The same one-line failure as withAdmin for an unreachable cluster, or `err` untouched. */
export function explainConnectionFailure(err: unknown, options: ConnectOptions): unknown {
  if (!isConnectionFailure(err)) return err;
  return new CliError(describeConnectionError(err, bootstrapBrokers(options)));
}

/** Connects a kafkajs producer or consumer; an unreachable cluster is a one-line CliError. */
export async function connectClient(client: { connect(): Promise<void> }, options: ConnectOptions): Promise<void> {
  try {
    await client.connect();
  } catch (err) {
    throw explainConnectionFailure(err, options);
  }
}
