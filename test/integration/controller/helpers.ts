import { loadBrokerConfig, type BrokerConfig } from '../../../src/broker/config/broker-config.js';
import { KafkaZkClient } from '../../../src/broker/zk/kafka-zk-client.js';
import type { BrokerRegistration } from '../../../src/broker/zk/zk-data.js';
import { ZooKeeperClient } from '../../../src/zookeeper/client/index.js';

export { SERVERS, startServer, type TestServer } from '../../zookeeper/client/harness.js';

/** ZooKeeper sessions a test opened, closed after it whatever happened. */
export class Sessions {
  private readonly open: ZooKeeperClient[] = [];

  async client(connectString: string, sessionTimeoutMs = 10_000): Promise<ZooKeeperClient> {
    const zk = await ZooKeeperClient.connect({ connectString, sessionTimeoutMs, connectionTimeoutMs: 10_000 });
    this.open.push(zk);
    return zk;
  }

  /** A KafkaZkClient; a chroot in `connectString` is created first, as a broker does. */
  async kafka(connectString: string, sessionTimeoutMs = 10_000): Promise<KafkaZkClient> {
    const slash = connectString.indexOf('/');
    if (slash > 0) await (await this.client(connectString.slice(0, slash))).mkdirp(connectString.slice(slash));
    return new KafkaZkClient(await this.client(connectString, sessionTimeoutMs));
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((zk) => zk.close().catch(() => undefined)));
  }
}

/** A registration as a kts broker writes it, for a broker reachable on 127.0.0.1:`port`. */
export function registration(id: number, port: number, rack: string | null = null): BrokerRegistration {
  return {
    id,
    endpoints: [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port }],
    rack,
    jmxPort: -1,
    features: {},
    timestamp: String(Date.now()),
  };
}

export function brokerConfig(settings: Record<string, string>): BrokerConfig {
  return loadBrokerConfig(new Map(Object.entries({ listeners: 'PLAINTEXT://127.0.0.1:0', 'log.dirs': '/nonexistent', ...settings })))
    .config;
}

/** The promise's rejection (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  const outcome = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(outcome instanceof Error)) throw new Error('expected a rejection');
  return outcome;
}
