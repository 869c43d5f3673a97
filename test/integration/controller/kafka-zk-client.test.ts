import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigChangeListener, type ChangedEntity } from '../../../src/broker/zk/config-change-listener.js';
import { BrokerIdRegisteredError, ControllerMovedError } from '../../../src/broker/zk/kafka-zk-client.js';
import { ZkCluster } from '../../../src/broker/zk/zk-cluster.js';
import { decodePartitionState, LeaderRecoveryState, PERSISTENT_PATHS, replicaAssignment } from '../../../src/broker/zk/zk-data.js';
import { ZkMetadataStore } from '../../../src/broker/zk/zk-metadata-store.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { waitUntil } from '../../helpers/wait.js';
import { brokerConfig, registration, rejection, SERVERS, Sessions, startServer, type TestServer } from './helpers.js';

describe.each(SERVERS)('Kafka’s ZooKeeper data against $title', ({ kind, options }) => {
  let server: TestServer;
  const sessions = new Sessions();
  beforeAll(async () => {
    if (!options.skip) server = await startServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    await sessions.closeAll();
  });
  const chroot = (name: string) => `${server.connectString}/${name}`;

  it('registers a broker as Kafka writes it: ephemeral, JSON v5, epoch = czxid', options, async () => {
    const connect = chroot('registration');
    const zk = await sessions.kafka(connect);
    await zk.createPersistentPaths();
    for (const path of PERSISTENT_PATHS) expect(await zk.exists(path)).toBe(true);
    const epoch = await zk.registerBroker(registration(1, 9092, 'rack-a'));
    const raw = await (await sessions.client(connect)).getData('/brokers/ids/1');
    expect(raw.stat.ephemeralOwner).toBe(zk.session.sessionId);
    expect(BigInt(raw.stat.czxid)).toBe(epoch);
    // Created empty, then set in the same multi: version 1.
    expect(raw.stat.version).toBe(1);
    const json = JSON.parse(raw.data.toString());
    expect(json).toEqual({
      version: 5,
      host: '127.0.0.1',
      port: 9092,
      jmx_port: -1,
      timestamp: expect.stringMatching(/^\d{13}$/),
      endpoints: ['PLAINTEXT://127.0.0.1:9092'],
      listener_security_protocol_map: { PLAINTEXT: 'PLAINTEXT' },
      rack: 'rack-a',
      features: {},
    });
    // Registering again on the same session keeps the znode and the epoch.
    expect(await zk.registerBroker(registration(1, 9092, 'rack-a'))).toBe(epoch);
    expect((await zk.getAllBrokers()).map((b) => [b.registration.id, b.epoch])).toEqual([[1, epoch]]);
  });

  it('refuses a broker id another live session holds, with one line naming both sessions', options, async () => {
    const connect = chroot('duplicate');
    const first = await sessions.kafka(connect);
    await first.createPersistentPaths();
    await first.registerBroker(registration(7, 9092));
    const second = await sessions.kafka(connect);
    const err = await rejection(second.registerBroker(registration(7, 9093)));
    expect(err).toBeInstanceOf(BrokerIdRegisteredError);
    expect(err.message).toMatch(
      /^Error while creating ephemeral at \/brokers\/ids\/7, node already exists and owner '0x[0-9a-f]+' does not match current session '0x[0-9a-f]+': broker id 7 is registered by another broker$/,
    );
    // Once the holder's session is closed the id is free.
    await first.session.close();
    expect(await second.registerBroker(registration(7, 9093))).toBeGreaterThan(0n);
  });

  it('replaces a registration left by its own previous session (ZOOKEEPER-2985), as Kafka does', options, async () => {
    const connect = chroot('previous-session');
    const zk = await sessions.kafka(connect);
    await zk.createPersistentPaths();
    const first = await zk.registerBroker(registration(3, 9092));
    // The broker moves to a new session while the old one's ephemeral is still there.
    zk.useSession(await sessions.client(connect));
    const second = await zk.registerBroker(registration(3, 9092));
    expect(second).toBeGreaterThan(first);
    const node = await (await sessions.client(connect)).getData('/brokers/ids/3');
    expect(node.stat.ephemeralOwner).toBe(zk.session.sessionId);
  });

  it('retries a request that lost its connection once the session is connected again', options, async () => {
    const proxy = await startTcpProxy();
    try {
      proxy.forwardTo('127.0.0.1', server.port);
      const zk = await sessions.kafka(`127.0.0.1:${proxy.port}`);
      await zk.createPersistentPaths();
      await zk.getOrCreateClusterId('7SVZKWcNSo2jV0Kk2bYF4A');
      proxy.pause();
      const read = zk.getClusterId();
      proxy.cut(); // the request in flight fails with CONNECTIONLOSS; the client reconnects
      const states: string[] = [];
      zk.session.on('state', (s) => states.push(s));
      await waitUntil(() => states.includes('disconnected'), 'the client to notice');
      proxy.resume();
      expect(await read).toBe('7SVZKWcNSo2jV0Kk2bYF4A');
      expect(states.at(-1)).toBe('connected');
    } finally {
      await proxy.close();
    }
  });

  it('keeps one cluster id; ZkCluster refuses a meta.properties of another cluster in Kafka’s words', options, async () => {
    const connect = chroot('cluster-id');
    const zk = await sessions.kafka(connect);
    await zk.createPersistentPaths();
    expect(await zk.getOrCreateClusterId('7SVZKWcNSo2jV0Kk2bYF4A')).toBe('7SVZKWcNSo2jV0Kk2bYF4A');
    expect(await zk.getOrCreateClusterId('another-id-xxxxxxxxxxx')).toBe('7SVZKWcNSo2jV0Kk2bYF4A');
    const raw = await (await sessions.client(connect)).getData('/cluster/id');
    expect(raw.data.toString()).toBe('{"version":"1","id":"7SVZKWcNSo2jV0Kk2bYF4A"}');
    const config = brokerConfig({ 'zookeeper.connect': connect, 'broker.id': '1' });
    const err = await rejection(
      ZkCluster.connect({ config: () => config, storedClusterId: 'Qr2pUFPyQnyjXWQzLT3BVw', log: () => undefined }),
    );
    expect(err.message).toBe(
      "The Cluster ID 7SVZKWcNSo2jV0Kk2bYF4A doesn't match stored clusterId Some(Qr2pUFPyQnyjXWQzLT3BVw) in meta.properties. The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.",
    );
    const cluster = await ZkCluster.connect({ config: () => config, storedClusterId: '7SVZKWcNSo2jV0Kk2bYF4A', log: () => undefined });
    expect(cluster.clusterId).toBe('7SVZKWcNSo2jV0Kk2bYF4A');
    await cluster.stop();
  });

  it('fences controller writes by the /controller_epoch version: a stale controller’s write is refused', options, async () => {
    const connect = chroot('fencing');
    const first = await sessions.kafka(connect);
    await first.createPersistentPaths();
    const stale = await first.registerControllerAndIncrementEpoch(1, Date.now());
    expect(stale.epoch).toBe(1);
    const tp = { topic: 't', partition: 0 };
    await first.createTopicAssignment('t', { topicId: 'q3v9KxJqT1uZ0yLr0m0fUQ', partitions: new Map([[0, replicaAssignment([1, 2])]]) });
    const initial = {
      leaderAndIsr: { leader: 1, leaderEpoch: 0, isr: [1, 2], leaderRecoveryState: LeaderRecoveryState.RECOVERED, partitionEpoch: 0 },
      controllerEpoch: 1,
    };
    expect((await first.createPartitionStates([[tp, initial]], stale.epochZkVersion)).get(tp)).toBeNull();
    // Broker 1's session ends; broker 2 becomes controller with epoch 2.
    await first.session.close();
    const second = await sessions.kafka(connect);
    const current = await second.registerControllerAndIncrementEpoch(2, Date.now());
    expect(current.epoch).toBe(2);
    // A client still holding controller 1's epoch version (a zombie controller) cannot write.
    const zombie = await sessions.kafka(connect);
    const write = zombie.updateLeaderAndIsr([[tp, { ...initial.leaderAndIsr, leader: 2, leaderEpoch: 1 }]], 1, stale.epochZkVersion);
    expect(await rejection(write)).toBeInstanceOf(ControllerMovedError);
    expect(await rejection(zombie.deleteController(stale.epochZkVersion))).toBeInstanceOf(ControllerMovedError);
    // The current controller can, conditionally on the partition epoch.
    const update = await second.updateLeaderAndIsr(
      [[tp, { ...initial.leaderAndIsr, leader: 2, leaderEpoch: 1 }]],
      2,
      current.epochZkVersion,
    );
    expect(update.finished.get(tp)).toMatchObject({ leader: 2, leaderEpoch: 1, partitionEpoch: 1 });
    const again = await second.updateLeaderAndIsr([[tp, { ...initial.leaderAndIsr, leaderEpoch: 2 }]], 2, current.epochZkVersion);
    expect(again.retry).toEqual([tp]);
    const node = await second.getData('/brokers/topics/t/partitions/0/state');
    expect(decodePartitionState(node!.data, node!.stat.version).leaderAndIsr).toMatchObject({
      leader: 2,
      leaderEpoch: 1,
      partitionEpoch: 1,
    });
    expect(node!.data.toString()).toBe('{"controller_epoch":2,"leader":2,"version":1,"leader_epoch":1,"isr":[1,2]}');
  });

  it('stores topics, configs, quotas and producer-id blocks in Kafka’s layout, and announces config changes', options, async () => {
    const connect = chroot('store');
    const zk = await sessions.kafka(connect);
    await zk.createPersistentPaths();
    const store = new ZkMetadataStore(zk, 1);
    await store.createTopic(
      'orders',
      'q3v9KxJqT1uZ0yLr0m0fUQ',
      [
        [1, 2],
        [2, 1],
      ],
      { 'retention.ms': '86400000' },
    );
    const raw = await sessions.client(connect);
    expect(JSON.parse((await raw.getData('/brokers/topics/orders')).data.toString())).toEqual({
      version: 3,
      partitions: { 0: [1, 2], 1: [2, 1] },
      adding_replicas: {},
      removing_replicas: {},
      topic_id: 'q3v9KxJqT1uZ0yLr0m0fUQ',
    });
    expect((await raw.getData('/config/topics/orders')).data.toString()).toBe('{"version":1,"config":{"retention.ms":"86400000"}}');
    expect(await rejection(store.createTopic('orders', 'AAAAAAAAAAAAAAAAAAAAAQ', [[1]], {}))).toMatchObject({
      errorName: 'TOPIC_ALREADY_EXISTS',
      message: "Topic 'orders' already exists.",
    });
    const racer = {
      name: 'orders',
      topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
      partitions: [{ partition: 0, replicas: [1], leader: -1, leaderEpoch: 0, isr: [] }],
      configs: {},
    };
    expect(await rejection(store.putTopic(racer))).toMatchObject({ errorName: 'TOPIC_ALREADY_EXISTS' });

    const changes: ChangedEntity[] = [];
    const listener = new ConfigChangeListener({ zk, log: () => undefined, onChange: (e) => void changes.push(e) });
    await listener.start();
    changes.length = 0; // notifications present at start are handled too, as Kafka does
    await store.putTopic({ ...(await store.readTopic('orders'))!, configs: { 'retention.ms': '1000' } });
    await store.putBrokerConfigs('', { 'log.cleaner.threads': '2' });
    await store.putClientQuotas('users/alice/clients/app1', { producer_byte_rate: '1024' });
    await waitUntil(() => changes.length === 3, 'three config change notifications');
    expect(changes).toEqual([
      { type: 'topics', name: 'orders' },
      { type: 'brokers', name: '<default>' },
      { type: 'users', name: 'alice/clients/app1' },
    ]);
    listener.stop();
    const notifications = (await raw.getChildren('/config/changes')).sort();
    expect(notifications.every((n) => /^config_change_\d{10}$/.test(n))).toBe(true);
    expect(JSON.parse((await raw.getData(`/config/changes/${notifications.at(-1)}`)).data.toString())).toEqual({
      version: 2,
      entity_path: 'users/alice/clients/app1',
    });

    await store.addPartitions('orders', [[1, 2]]);
    const loaded = await store.load();
    expect(loaded.topics).toEqual([
      {
        name: 'orders',
        topicId: 'q3v9KxJqT1uZ0yLr0m0fUQ',
        partitions: [0, 1, 2].map((partition) => ({
          partition,
          replicas: partition === 1 ? [2, 1] : [1, 2],
          leader: -1,
          leaderEpoch: 0,
          isr: [],
        })),
        configs: { 'retention.ms': '1000' },
      },
    ]);
    expect(loaded.brokerConfigs).toEqual({ '': { 'log.cleaner.threads': '2' } });
    expect(loaded.clientQuotas).toEqual({ 'users/alice/clients/app1': { producer_byte_rate: '1024' } });

    await store.deleteTopic('orders');
    expect(await raw.exists('/admin/delete_topics/orders')).not.toBeNull();

    // Two brokers reserving blocks concurrently get disjoint ones, in Kafka's JSON.
    const other = new ZkMetadataStore(await sessions.kafka(connect), 2);
    const starts = await Promise.all([store.allocateProducerIds(1000), other.allocateProducerIds(1000), store.allocateProducerIds(1000)]);
    expect([...starts].sort((a, b) => Number(a - b))).toEqual([0n, 1000n, 2000n]);
    expect(JSON.parse((await raw.getData('/latest_producer_id_block')).data.toString())).toMatchObject({
      version: 1,
      block_start: '2000',
      block_end: '2999',
    });
  });

  it('an unreachable ZooKeeper is one line naming it', options, async () => {
    const config = brokerConfig({
      'zookeeper.connect': '127.0.0.1:1',
      'zookeeper.connection.timeout.ms': '500',
      'broker.id': '1',
    });
    const err = await rejection(ZkCluster.connect({ config: () => config, log: () => undefined }));
    expect(err.message).toMatch(/^Timed out waiting for a connection to ZooKeeper at 127\.0\.0\.1:1 after 500 ms/);
    expect(err.message).not.toContain('\n');
  });
});
