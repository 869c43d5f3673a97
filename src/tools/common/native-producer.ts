import { KtsError } from '../../util/errors.js';
import { bootstrapBrokers, type BrokerAddress } from '../../client/bootstrap.js';
import { BrokerConnectionError } from '../../client/broker-connections.js';
import { clientConfig } from '../../client/config.js';
import type { ConnectOptions } from '../../client/connect-options.js';
import { describeConnectionError } from '../../client/connection-error.js';
import { loadPartitioner } from '../../client/producer/custom-partitioner.js';
import { createNativeProducer, type NativeProducer } from '../../client/producer/producer.js';
import type { ProducerOptions } from '../../client/producer/producer-config.js';

/** Producer settings a tool decided; connection and security come from the client properties. */
export type ProducerChoices = Omit<
  ProducerOptions,
  'bootstrap' | 'clientId' | 'connectionTimeoutMs' | 'tls' | 'sasl' | 'partitioner' | 'log'
> & {
  partitionerClass?: string;
};

export interface OpenedProducer {
  producer: NativeProducer;
  brokers: BrokerAddress[];
}

/**
 * Opens kts's native producer for a tool: bootstrap servers, client.id, TLS and SASL from `connect`
 * (unknown properties get one warning line), the rest from `choices`. An unreachable cluster is a
 * one-line KtsError; so is one that does not answer within max.block.ms.
 */
export async function openNativeProducer(connect: ConnectOptions, choices: ProducerChoices, logPrefix: string): Promise<OpenedProducer> {
  const brokers = bootstrapBrokers(connect);
  const client = clientConfig(connect.properties ?? new Map(), { consumedKeys: connect.consumedKeys });
  const { partitionerClass, ...options } = choices;
  const partitioner = partitionerClass ? await loadPartitioner(partitionerClass) : null;
  const opening = createNativeProducer({
    ...options,
    bootstrap: brokers,
    clientId: client.clientId,
    connectionTimeoutMs: client.connectionTimeout,
    ...(client.ssl ? { tls: client.ssl } : {}),
    ...(client.sasl ? { sasl: client.sasl } : {}),
    partitioner,
    ...(connect.verbose ? { log: (line: string) => process.stderr.write(`[${logPrefix}] ${line}\n`) } : {}),
  });
  const maxBlockMs = options.maxBlockMs ?? 60_000;
  try {
    return { producer: await withTimeout(opening, maxBlockMs), brokers };
  } catch (err) {
    if (err instanceof BrokerConnectionError) throw new KtsError(describeConnectionError(err, brokers));
    throw err;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KtsError(`Error: could not connect within max.block.ms (${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
