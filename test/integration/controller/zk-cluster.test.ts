import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ZkCluster } from '../../../src/broker/zk/zk-cluster.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { waitUntil } from '../../helpers/wait.js';
import { brokerConfig, rejection, SERVERS, Sessions, startServer, type TestServer } from './helpers.js';
import { RecordingBroker } from './recording-broker.js';

describe.each(SERVERS)('ZkCluster against $title', ({ kind, options }) => {
  let server: TestServer;
  const sessions = new Sessions();
  const cleanups: (() => Promise<void>)[] = [];
  let n = 0;
  beforeAll(async () => {
    if (!options.skip) server = await startServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
    await sessions.closeAll();
  });

  /** A member of the cluster under `/cluster-<n>`, its controller talking to a stand-in broker. */
  async function member(connect: string, id: number, settings: Record<string, string> = {}) {
    const broker = await RecordingBroker.start();
    cleanups.push(() => broker.stop());
    const config = brokerConfig({ 'zookeeper.connect': connect, 'broker.id': String(id), ...settings });
    const epochs: bigint[] = [];
    const cluster = await ZkCluster.connect({ config: () => config, log: () => undefined, onBrokerEpoch: (e) => void epochs.push(e) });
    cleanups.push(() => cluster.stop());
    await cluster.start([{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: broker.port }]);
    return { cluster, broker, epochs };
  }

  it('joins: creates its chroot, registers its endpoints, and leaves at once on stop', options, async () => {
    const connect = `${server.connectString}/kts/cluster-${n++}`;
    const { cluster, broker } = await member(connect, 5, { 'broker.rack': 'r1' });
    const raw = await sessions.client(connect);
    const node = await raw.getData('/brokers/ids/5');
    expect(JSON.parse(node.data.toString())).toMatchObject({
      version: 5,
      endpoints: [`PLAINTEXT://127.0.0.1:${broker.port}`],
      rack: 'r1',
    });
    expect(cluster.brokerEpoch).toBe(BigInt(node.stat.czxid));
    await waitUntil(() => cluster.controller.isActive, 'the controller');
    // As the only broker it is the controller, and tells itself about the cluster over its socket.
    const update = await broker.waitFor(ApiKey.UpdateMetadata, (b) => b.liveBrokers.length === 1);
    expect(update.liveBrokers[0]!).toMatchObject({ id: 5, rack: 'r1' });
    await cluster.stop();
    expect(await raw.exists('/brokers/ids/5')).toBeNull();
    expect(await raw.exists('/controller')).toBeNull();
  });

  it('refuses to start with a broker id another live broker registered', options, async () => {
    const connect = `${server.connectString}/cluster-${n++}`;
    await member(connect, 1);
    const config = brokerConfig({ 'zookeeper.connect': connect, 'broker.id': '1' });
    const second = await ZkCluster.connect({ config: () => config, log: () => undefined });
    cleanups.push(() => second.stop());
    const err = await rejection(second.start([{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 1 }]));
    expect(err.message).toMatch(/node already exists .*: broker id 1 is registered by another broker$/);
  });

  it('refuses an inter-broker listener that is not advertised, before touching ZooKeeper', options, async () => {
    const config = brokerConfig({ 'zookeeper.connect': `${server.connectString}/unused`, 'inter.broker.listener.name': 'INTERNAL' });
    expect((await rejection(ZkCluster.connect({ config: () => config, log: () => undefined }))).message).toBe(
      'inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are PLAINTEXT',
    );
    const both = brokerConfig({
      'zookeeper.connect': `${server.connectString}/unused`,
      'inter.broker.listener.name': 'PLAINTEXT',
      'security.inter.broker.protocol': 'PLAINTEXT',
    });
    expect((await rejection(ZkCluster.connect({ config: () => both, log: () => undefined }))).message).toBe(
      'Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.',
    );
  });

  it('after its session expires: a new session, registered again with a new epoch, controller again', options, async () => {
    const proxy: TcpProxy = await startTcpProxy();
    cleanups.push(() => proxy.close());
    proxy.forwardTo('127.0.0.1', server.port);
    const chroot = `/cluster-${n++}`;
    await (await sessions.client(server.connectString)).mkdirp(chroot);
    const { cluster, epochs } = await member(`127.0.0.1:${proxy.port}${chroot}`, 1, { 'zookeeper.session.timeout.ms': '1000' });
    await waitUntil(() => cluster.controller.isActive, 'the controller');
    const firstEpoch = cluster.brokerEpoch;
    const direct = await sessions.client(`${server.connectString}${chroot}`);
    // Cut off: the server expires the session, and with it the broker's and the controller's znodes.
    proxy.pause();
    proxy.cut();
    await waitUntil(async () => (await direct.exists('/brokers/ids/1')) === null, 'the session to expire', 10_000);
    proxy.resume();
    await waitUntil(async () => (await direct.exists('/brokers/ids/1')) !== null, 'the broker to register again', 10_000);
    await waitUntil(() => cluster.controller.isActive, 'the controller to be elected again', 10_000);
    const node = await direct.getData('/brokers/ids/1');
    expect(cluster.brokerEpoch).toBe(BigInt(node.stat.czxid));
    expect(cluster.brokerEpoch).toBeGreaterThan(firstEpoch);
    expect(epochs).toEqual([cluster.brokerEpoch]);
    expect((await direct.getData('/controller_epoch')).data.toString()).toBe('2');
    expect(cluster.controller.epoch).toBe(2);
  });
});
