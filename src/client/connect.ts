import { Kafka, type Admin } from 'kafkajs';
import { KtsError } from '../util/errors.js';
import { bootstrapBrokers, type BrokerAddress } from './bootstrap.js';
import { clientConfig, type ClientSettings } from './config.js';
import type { ConnectOptions } from './connect-options.js';
import { VersionedConnection, versionedConnectionOptions } from './versioned-connection.js';
import { describeConnectionError, isConnectionFailure } from './connection-error.js';
import { kafkaLogging } from './logging.js';
import { seedBrokers } from './seed-brokers.js';

export { describeConnectionError } from './connection-error.js';
export type { ConnectOptions } from './connect-options.js';

/** Connects an admin client, runs `fn`, always disconnects; unreachable clusters become a one-line KtsError. */
export async function withAdmin<T>(options: ConnectOptions, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const { kafka, brokers, settings } = connection(options);
  // kafkajs would report a silent broker as a failed connection after its own retries: reaching
  // one with kts's connection first gives every tool the same timeouts and messages.
  const log = options.verbose ? (line: string) => process.stderr.write(`[kts admin] ${line}\n`) : undefined;
  (await VersionedConnection.reachAny(brokers, versionedConnectionOptions(settings), log)).close();
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await fn(admin);
  } catch (err) {
    if (isConnectionFailure(err)) throw new KtsError(describeConnectionError(err, brokers));
    throw err;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function connection(options: ConnectOptions): { kafka: Kafka; brokers: BrokerAddress[]; settings: ClientSettings } {
  const properties = options.properties ?? new Map<string, string>();
  const brokers = bootstrapBrokers(options);
  const settings = clientConfig(properties, { consumedKeys: options.consumedKeys });
  const kafka = new Kafka({
    ...settings,
    ...seedBrokers(brokers),
    ...kafkaLogging(options.verbose ?? false),
  });
  return { kafka, brokers, settings };
}
