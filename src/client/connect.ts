import { Kafka, type Admin } from 'kafkajs';
import { KtsError } from '../util/errors.js';
import { bootstrapBrokers, type BrokerAddress } from './bootstrap.js';
import { clientConfig } from './config.js';
import { describeConnectionError, isConnectionFailure } from './connection-error.js';
import { kafkaLogging } from './logging.js';
import { seedBrokers } from './seed-brokers.js';

export { describeConnectionError } from './connection-error.js';

export interface ConnectOptions {
  /** The `--bootstrap-server` value; without it `bootstrap.servers` from the properties, then the env default. */
  bootstrapServer?: string;
  /** Client properties (from `--command-config` and friends). */
  properties?: ReadonlyMap<string, string>;
  /** Properties the calling tool handles itself, so they are not reported as unknown. */
  consumedKeys?: Iterable<string>;
  verbose?: boolean;
}

/** Connects an admin client, runs `fn`, always disconnects; unreachable clusters become a one-line KtsError. */
export async function withAdmin<T>(options: ConnectOptions, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const { kafka, brokers } = connection(options);
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

function connection(options: ConnectOptions): { kafka: Kafka; brokers: BrokerAddress[] } {
  const properties = options.properties ?? new Map<string, string>();
  const brokers = bootstrapBrokers(options);
  const settings = clientConfig(properties, { consumedKeys: options.consumedKeys });
  const kafka = new Kafka({
    ...settings,
    ...seedBrokers(brokers),
    ...kafkaLogging(options.verbose ?? false),
  });
  return { kafka, brokers };
}
