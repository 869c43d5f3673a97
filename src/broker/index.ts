import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrokerConfig } from './config/broker-config.js';
import { Broker, type BrokerLogger } from './broker.js';

export { Broker, type BrokerLogger, type BrokerLogLevel, type BrokerOptions } from './broker.js';

export interface StartBrokerOptions {
  /** server.properties keys, over the defaults below. */
  config?: Record<string, string>;
  /** Keep the data here, and leave it on stop; default: a fresh temp dir, removed on stop. */
  logDir?: string;
  /** Default: warnings and errors to stderr. */
  log?: BrokerLogger;
}

export interface StartedBroker {
  /** `host:port` of the first listener. */
  bootstrapServers: string;
  host: string;
  port: number;
  logDir: string;
  broker: Broker;
  stop(): Promise<void>;
}

/**
 * A single-node cluster's settings: a free port on the loopback interface, and internal topics a
 * single broker can create.
 */
const EMBEDDED_DEFAULTS: Record<string, string> = {
  listeners: 'PLAINTEXT://127.0.0.1:0',
  'offsets.topic.replication.factor': '1',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'group.initial.rebalance.delay.ms': '0',
};

/** Starts a broker for a test suite or an embedding program: `await startBroker()` → `bootstrapServers`. */
export async function startBroker(options: StartBrokerOptions = {}): Promise<StartedBroker> {
  const temporary = options.logDir === undefined;
  const logDir = options.logDir ?? (await mkdtemp(join(tmpdir(), 'kts-broker-')));
  const removeTemporary = () => (temporary ? rm(logDir, { recursive: true, force: true }) : Promise.resolve());
  let broker: Broker;
  try {
    const properties = new Map(Object.entries({ ...EMBEDDED_DEFAULTS, 'log.dirs': logDir, ...options.config }));
    const { config, unknownKeys } = loadBrokerConfig(properties);
    if (unknownKeys.length > 0) (options.log ?? defaultLog)('warn', `Ignoring unknown configuration keys: ${unknownKeys.join(', ')}`);
    broker = await Broker.start({ config, log: options.log });
  } catch (err) {
    await removeTemporary();
    throw err;
  }
  const { host, port } = broker.endpoints[0]!;
  return {
    bootstrapServers: `${host}:${port}`,
    host,
    port,
    logDir,
    broker,
    stop: async () => {
      await broker.stop();
      await removeTemporary();
    },
  };
}

const defaultLog: BrokerLogger = (level, message) => process.stderr.write(`[kts broker] ${level.toUpperCase()} ${message}\n`);
