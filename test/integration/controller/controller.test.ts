import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { controllerHandlers } from '../../../src/broker/api/cluster-handlers.js';
import { createRouter } from '../../../src/broker/api/dispatcher.js';
import { unsupportedApiVersionsResponse } from '../../../src/broker/api/api-versions.js';
import { Controller } from '../../../src/broker/controller/controller.js';
import { SocketServer } from '../../../src/broker/network/socket-server.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import type { KafkaZkClient } from '../../../src/broker/zk/kafka-zk-client.js';
import { decodePartitionState, type PartitionLeadership } from '../../../src/broker/zk/zk-data.js';
import { ZkMetadataStore } from '../../../src/broker/zk/zk-metadata-store.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { waitUntil } from '../../helpers/wait.js';
import { RecordingBroker } from './recording-broker.js';
import { registration, SERVERS, Sessions, startServer, type TestServer } from './helpers.js';

/** One simulated cluster member: a ZooKeeper session registered as a broker, its controller module, and a stand-in broker socket. */
interface Member {
  id: number;
  zk: KafkaZkClient;
  controller: Controller;
  broker: RecordingBroker;
  epoch: bigint;
}

const SESSION_TIMEOUT_MS = 2000;

describe.each(SERVERS)('the controller against $title and stand-in brokers', ({ kind, options }) => {
  let server: TestServer;
  const sessions = new Sessions();
  const members: Member[] = [];
  let connect: string;
  let testNumber = 0;
  const logs: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (!options.skip) server = await startServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  beforeEach(async () => {
    if (options.skip) return;
    connect = `${server.connectString}/controller-${testNumber++}`;
    for (const id of [1, 2, 3]) members.push(await join(id));
  });
  afterEach(async () => {
    // As ZkCluster.stop: controllers take no more events, sessions close (ending an event stuck on a cut-off
    // connection), then brokers stop, once the controllers' connections to them are gone.
    const stopped = members.map((m) => m.controller.shutdown());
    await sessions.closeAll();
    await Promise.all(stopped);
    for (const m of members.splice(0)) await m.broker.stop();
    while (cleanups.length) await cleanups.pop()!();
    logs.length = 0;
  });

  /** Registers broker `id` (through `via`, a connect string, if given) and starts its controller module. */
  async function join(id: number, broker?: RecordingBroker, via = connect): Promise<Member> {
    const zk = await sessions.kafka(via, SESSION_TIMEOUT_MS);
    await zk.createPersistentPaths();
    const recording = broker ?? (await RecordingBroker.start());
    const epoch = await zk.registerBroker(registration(id, recording.port));
    const controller = new Controller({
      brokerId: id,
      zk,
      interBrokerListenerName: 'PLAINTEXT',
      interBrokerSecurity: {},
      config: () => ({
        deleteTopicEnable: true,
        uncleanLeaderElectionEnable: false,
        socketTimeoutMs: 5000,
        autoLeaderRebalanceEnable: false,
        leaderImbalanceCheckIntervalSeconds: 300,
        leaderImbalancePerBrokerPercentage: 10,
      }),
      log: (level, message) => logs.push(`${id} ${level} ${message}`),
    });
    controller.startup();
    return { id, zk, controller, broker: recording, epoch };
  }

  async function activeController(): Promise<Member> {
    let active: Member | undefined;
    await waitUntil(async () => {
      await Promise.all(members.map((m) => m.controller.idle()));
      active = members.find((m) => m.controller.isActive);
      return active !== undefined;
    }, 'an active controller');
    return active!;
  }

  async function state(zk: KafkaZkClient, topic: string, partition: number): Promise<PartitionLeadership | null> {
    const node = await zk.getData(`/brokers/topics/${topic}/partitions/${partition}/state`);
    return node === null ? null : decodePartitionState(node.data, node.stat.version);
  }

  async function createTopic(zk: KafkaZkClient, topic: string, replicas: number[][]): Promise<void> {
    await new ZkMetadataStore(zk, 1).createTopic(topic, 'q3v9KxJqT1uZ0yLr0m0fUQ', replicas, {});
  }

  /** Waits until every partition of `topic` has a state znode; returns them by partition. */
  async function statesOf(zk: KafkaZkClient, topic: string, count: number, ready: (s: PartitionLeadership) => boolean = () => true) {
    const states: PartitionLeadership[] = [];
    await waitUntil(async () => {
      for (let p = 0; p < count; p++) {
        const s = await state(zk, topic, p);
        if (s === null || !ready(s)) return false;
        states[p] = s;
      }
      return true;
    }, `states of ${topic}`);
    return states;
  }

  it('one broker wins /controller; when its session closes another takes over with the next epoch', options, async () => {
    const first = await activeController();
    expect(members.filter((m) => m.controller.isActive)).toHaveLength(1);
    for (const m of members) expect(m.controller.activeControllerId).toBe(first.id);
    const raw = await sessions.client(connect);
    expect(JSON.parse((await raw.getData('/controller')).data.toString())).toMatchObject({
      version: 2,
      brokerid: first.id,
      kraftControllerEpoch: -1,
    });
    expect((await raw.getData('/controller_epoch')).data.toString()).toBe('1');
    expect(first.controller.epoch).toBe(1);
    // The new controller tells every live broker about the cluster: UpdateMetadata v8 with all registered brokers.
    const update = await first.broker.waitFor(ApiKey.UpdateMetadata, (b) => b.liveBrokers.length === 3);
    expect(update.controllerId).toBe(first.id);
    expect(update.controllerEpoch).toBe(1);
    expect(first.broker.of(ApiKey.UpdateMetadata)[0]!.apiVersion).toBe(8);

    await first.zk.session.close();
    members.splice(members.indexOf(first), 1);
    await first.controller.shutdown();
    const second = await activeController();
    expect(second.id).not.toBe(first.id);
    expect(second.controller.epoch).toBe(2);
    expect((await raw.getData('/controller_epoch')).data.toString()).toBe('2');
    await waitUntil(
      () => members.every((m) => m.controller.activeControllerId === second.id),
      'the other broker to see the new controller',
    );
  });

  it('a controller cut off from ZooKeeper (as by kill -9): another broker takes over once its session expires', options, async () => {
    // Leave one ordinary broker, then make a broker that reaches ZooKeeper through a proxy the controller.
    for (const m of members.splice(1)) {
      await m.controller.shutdown();
      await m.zk.session.close();
      await m.broker.stop();
    }
    const proxy = await startTcpProxy();
    cleanups.push(() => proxy.close());
    proxy.forwardTo('127.0.0.1', server.port);
    const cutOff = await join(4, undefined, `127.0.0.1:${proxy.port}${connect.slice(connect.indexOf('/'))}`);
    members.push(cutOff);
    const first = members[0]!;
    await activeController();
    if (first.controller.isActive) {
      await first.controller.shutdown();
      await first.zk.session.close();
    }
    await waitUntil(() => cutOff.controller.isActive, 'the proxied broker to be controller');
    const standby = await join(5);
    members.push(standby);
    await waitUntil(() => standby.controller.activeControllerId === 4, 'the standby to see the controller');
    // Its packets stop; nothing closes its session: ZooKeeper expires it after the session timeout.
    proxy.pause();
    proxy.cut();
    await waitUntil(() => standby.controller.isActive, 'the standby to take over', SESSION_TIMEOUT_MS + 8000);
    expect(standby.controller.epoch).toBe(cutOff.controller.epoch + 1);
    proxy.resume(); // back, it learns its session expired
  });

  it('brings a new topic online: state znodes, LeaderAndIsr v7 (IsNew) to the replicas, then UpdateMetadata to all', options, async () => {
    const active = await activeController();
    await createTopic(active.zk, 'orders', [
      [1, 2, 3],
      [2, 3, 1],
    ]);
    const states = await statesOf(active.zk, 'orders', 2);
    expect(states.map((s) => s.leaderAndIsr)).toEqual([
      { leader: 1, leaderEpoch: 0, isr: [1, 2, 3], leaderRecoveryState: 0, partitionEpoch: 0 },
      { leader: 2, leaderEpoch: 0, isr: [2, 3, 1], leaderRecoveryState: 0, partitionEpoch: 0 },
    ]);
    expect(states.every((s) => s.controllerEpoch === active.controller.epoch)).toBe(true);
    for (const m of members) {
      const request = await m.broker.waitFor(ApiKey.LeaderAndIsr, (b) => b.topicStates.some((t) => t.topicName === 'orders'));
      expect(request.controllerId).toBe(active.id);
      expect(request.brokerEpoch).toBe(m.epoch);
      const topic = request.topicStates.find((t) => t.topicName === 'orders')!;
      expect(topic.topicId).toBe('q3v9KxJqT1uZ0yLr0m0fUQ');
      expect(topic.partitionStates.map((p) => [p.partitionIndex, p.leader, p.isNew, p.partitionEpoch])).toEqual([
        [0, 1, true, 0],
        [1, 2, true, 0],
      ]);
      expect(request.liveLeaders.map((l) => l.brokerId).sort()).toEqual([1, 2]);
      // The batch goes LeaderAndIsr first, then UpdateMetadata carrying the same partitions.
      const leaderAndIsrAt = m.broker.requests.findIndex((r) => r.apiKey === ApiKey.LeaderAndIsr && r.body === request);
      await m.broker.waitFor(ApiKey.UpdateMetadata, (b) => b.topicStates.some((t) => t.topicName === 'orders'));
      const updateAt = m.broker.requests.findIndex(
        (r) => r.apiKey === ApiKey.UpdateMetadata && r.body.topicStates.some((t) => t.topicName === 'orders'),
      );
      expect(updateAt).toBeGreaterThan(leaderAndIsrAt);
      expect(m.broker.of(ApiKey.LeaderAndIsr).every((r) => r.apiVersion === 7)).toBe(true);
    }
  });

  it('a dead broker loses leadership to an ISR member and leaves every ISR; leader epochs bump; survivors are told', options, async () => {
    const active = await activeController();
    const victim = members.find((m) => m !== active)!;
    const survivors = members.filter((m) => m !== victim);
    // Partition 0 led by the victim, partition 1 led by a survivor with the victim in its ISR.
    await createTopic(active.zk, 'payments', [
      [victim.id, ...survivors.map((m) => m.id)],
      [survivors[0]!.id, victim.id, survivors[1]!.id],
    ]);
    await statesOf(active.zk, 'payments', 2);
    for (const m of survivors) m.broker.clear();

    await victim.zk.session.close(); // its /brokers/ids znode goes at once
    await victim.controller.shutdown();
    members.splice(members.indexOf(victim), 1);

    const states = await statesOf(active.zk, 'payments', 2, (s) => !s.leaderAndIsr.isr.includes(victim.id));
    expect(states[0]!.leaderAndIsr).toMatchObject({
      leader: survivors[0]!.id,
      leaderEpoch: 1,
      isr: survivors.map((m) => m.id),
    });
    expect(states[1]!.leaderAndIsr).toMatchObject({
      leader: survivors[0]!.id,
      leaderEpoch: 1,
      isr: [survivors[0]!.id, survivors[1]!.id],
    });
    for (const m of survivors) {
      const request = await m.broker.waitFor(ApiKey.LeaderAndIsr, (b) =>
        b.topicStates.some(
          (t) => t.topicName === 'payments' && t.partitionStates.some((p) => p.partitionIndex === 0 && p.leaderEpoch === 1),
        ),
      );
      const p0 = request.topicStates.find((t) => t.topicName === 'payments')!.partitionStates.find((p) => p.partitionIndex === 0)!;
      expect(p0).toMatchObject({ leader: survivors[0]!.id, isNew: false, replicas: [victim.id, ...survivors.map((s) => s.id)] });
      const update = await m.broker.waitFor(ApiKey.UpdateMetadata, (b) =>
        b.topicStates.some(
          (t) => t.topicName === 'payments' && t.partitionStates.some((p) => p.partitionIndex === 0 && p.leaderEpoch === 1),
        ),
      );
      expect(update.liveBrokers.map((b) => b.id).sort()).toEqual(survivors.map((s) => s.id).sort());
      const p0Update = update.topicStates.find((t) => t.topicName === 'payments')!.partitionStates.find((p) => p.partitionIndex === 0)!;
      expect(p0Update.offlineReplicas).toEqual([victim.id]);
    }

    // The broker comes back (a new session, a new epoch): it gets every partition's state and its replicas' LeaderAndIsr.
    const back = await join(victim.id, victim.broker);
    members.push(back);
    victim.broker.clear();
    const update = await back.broker.waitFor(ApiKey.UpdateMetadata, (b) => b.topicStates.some((t) => t.topicName === 'payments'));
    expect(update.liveBrokers).toHaveLength(3);
    const leaderAndIsr = await back.broker.waitFor(ApiKey.LeaderAndIsr, (b) => b.topicStates.some((t) => t.topicName === 'payments'));
    expect(leaderAndIsr.brokerEpoch).toBe(back.epoch);
    expect(leaderAndIsr.topicStates[0]!.partitionStates.every((p) => p.leader !== back.id)).toBe(true);
  });

  it('a killed controller: another broker takes over and re-elects the partitions it led', options, async () => {
    const first = await activeController();
    await createTopic(first.zk, 'events', [[first.id, ...members.filter((m) => m !== first).map((m) => m.id)]]);
    await statesOf(first.zk, 'events', 1);
    await first.zk.session.close();
    await first.controller.shutdown();
    members.splice(members.indexOf(first), 1);
    const second = await activeController();
    const [s] = await statesOf(second.zk, 'events', 1, (st) => st.leaderAndIsr.leader >= 0 && st.leaderAndIsr.leader !== first.id);
    expect(s!.leaderAndIsr.leader).toBe(members.filter((m) => m.id !== first.id)[0]!.id);
    expect(s!.controllerEpoch).toBe(2);
    // Topic creation still works under the new controller.
    await createTopic(second.zk, 'after', [members.map((m) => m.id)]);
    const [created] = await statesOf(second.zk, 'after', 1);
    expect(created!.leaderAndIsr.isr).toEqual(members.map((m) => m.id));
  });

  it('grows a topic: added partitions go New → Online', options, async () => {
    const active = await activeController();
    const store = new ZkMetadataStore(active.zk, active.id);
    await createTopic(active.zk, 'grow', [[1, 2]]);
    await statesOf(active.zk, 'grow', 1);
    await store.addPartitions('grow', [
      [2, 3],
      [3, 1],
    ]);
    const states = await statesOf(active.zk, 'grow', 3);
    expect(states.map((s) => s.leaderAndIsr.leader)).toEqual([1, 2, 3]);
    const three = members.find((m) => m.id === 3)!;
    const request = await three.broker.waitFor(ApiKey.LeaderAndIsr, (b) =>
      b.topicStates.some((t) => t.topicName === 'grow' && t.partitionStates.some((p) => p.partitionIndex === 2)),
    );
    expect(request.topicStates[0]!.partitionStates.every((p) => p.isNew)).toBe(true);
  });

  it('deletes a topic: UpdateMetadata with leader -2, StopReplica then StopReplica with delete, then its znodes', options, async () => {
    const active = await activeController();
    const store = new ZkMetadataStore(active.zk, active.id);
    await createTopic(active.zk, 'doomed', [[1, 2, 3]]);
    await new ZkMetadataStore(active.zk, 1).setTopicConfigs('doomed', { 'retention.ms': '1000' });
    await statesOf(active.zk, 'doomed', 1);
    await store.deleteTopic('doomed');
    const raw = await sessions.client(connect);
    // Removed in Kafka's order, the deletion marker last.
    await waitUntil(async () => (await raw.exists('/admin/delete_topics/doomed')) === null, 'the deletion to finish');
    expect(await raw.exists('/brokers/topics/doomed')).toBeNull();
    expect(await raw.exists('/config/topics/doomed')).toBeNull();
    for (const m of members) {
      const stops = m.broker.of(ApiKey.StopReplica).filter((r) => r.body.topicStates.some((t) => t.topicName === 'doomed'));
      expect(stops.map((r) => r.body.topicStates[0]!.partitionStates[0])).toEqual([
        { partitionIndex: 0, leaderEpoch: -2, deletePartition: false },
        { partitionIndex: 0, leaderEpoch: -2, deletePartition: true },
      ]);
      expect(stops.every((r) => r.apiVersion === 4)).toBe(true);
      const deleting = m.broker
        .of(ApiKey.UpdateMetadata)
        .flatMap((r) => r.body.topicStates)
        .find((t) => t.topicName === 'doomed' && t.partitionStates[0]!.leader === -2);
      expect(deleting).toBeDefined();
    }
  });

  it('AlterPartition: the §3 checks, a conditional write, UpdateMetadata to all', options, async () => {
    const active = await activeController();
    await createTopic(active.zk, 'isr', [[1, 2, 3]]);
    const [initial] = await statesOf(active.zk, 'isr', 1);
    const leader = members.find((m) => m.id === 1)!;
    /** AlterPartition from broker 1 at `version`: by topic id and with broker epochs from v2/v3 on, by name before. */
    const request = (over: { brokerEpoch?: bigint; leaderEpoch?: number; isr?: number[]; partitionEpoch?: number } = {}, version = 3) => {
      const isr = over.isr ?? [1, 2];
      return {
        brokerId: 1,
        brokerEpoch: over.brokerEpoch ?? leader.epoch,
        topics: [
          {
            topicName: version < 2 ? 'isr' : '',
            topicId: version < 2 ? 'AAAAAAAAAAAAAAAAAAAAAA' : 'q3v9KxJqT1uZ0yLr0m0fUQ',
            partitions: [
              {
                partitionIndex: 0,
                leaderEpoch: over.leaderEpoch ?? 0,
                newIsr: version < 3 ? isr : [],
                newIsrWithEpochs: version < 3 ? [] : isr.map((brokerId) => ({ brokerId, brokerEpoch: -1n })),
                leaderRecoveryState: 0,
                partitionEpoch: over.partitionEpoch ?? initial!.leaderAndIsr.partitionEpoch,
              },
            ],
          },
        ],
      };
    };
    const partition = (r: Awaited<ReturnType<Controller['alterPartition']>>) => r.topics[0]!.partitions[0]!;

    expect((await active.controller.alterPartition(request({ brokerEpoch: 1n }), 3)).errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
    expect(partition(await active.controller.alterPartition(request({ leaderEpoch: 1 }), 3)).errorCode).toBe(ErrorCode.NOT_CONTROLLER);
    expect(partition(await active.controller.alterPartition(request({ isr: [1, 2, 9] }), 3)).errorCode).toBe(ErrorCode.INELIGIBLE_REPLICA);
    expect(partition(await active.controller.alterPartition(request({ isr: [1, 2, 9] }, 1), 1)).errorCode).toBe(
      ErrorCode.OPERATION_NOT_ATTEMPTED,
    );
    for (const m of members) m.broker.clear();
    const shrunk = partition(await active.controller.alterPartition(request(), 3));
    expect(shrunk).toMatchObject({ errorCode: ErrorCode.NONE, leaderId: 1, leaderEpoch: 0, isr: [1, 2], partitionEpoch: 1 });
    expect((await state(active.zk, 'isr', 0))!.leaderAndIsr).toMatchObject({ isr: [1, 2], leaderEpoch: 0, partitionEpoch: 1 });
    for (const m of members) {
      await m.broker.waitFor(ApiKey.UpdateMetadata, (b) => b.topicStates.some((t) => t.partitionStates.some((p) => p.zkVersion === 1)));
      // No LeaderAndIsr for the change (one still in flight from the topic's creation may arrive late).
      const forChange = m.broker
        .of(ApiKey.LeaderAndIsr)
        .filter((r) => r.body.topicStates.some((t) => t.partitionStates.some((p) => p.partitionEpoch >= 1)));
      expect(forChange).toHaveLength(0);
    }
    // Replayed: the same change again is answered with the current state; an older partition epoch with another ISR is refused.
    expect(partition(await active.controller.alterPartition(request(), 3))).toMatchObject({ errorCode: 0, partitionEpoch: 1 });
    expect(partition(await active.controller.alterPartition(request({ isr: [1] }), 3)).errorCode).toBe(ErrorCode.INVALID_UPDATE_VERSION);
    // A non-controller answers NOT_CONTROLLER.
    const other = members.find((m) => m !== active)!;
    expect((await other.controller.alterPartition(request(), 3)).errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  });

  it('ControlledShutdown moves leadership away, shrinks ISRs and answers with no partition left', options, async () => {
    const active = await activeController();
    const leaving = members.find((m) => m !== active)!;
    const others = members.filter((m) => m !== leaving).map((m) => m.id);
    await createTopic(active.zk, 'rolling', [[leaving.id, ...others], [others[0]!, leaving.id, others[1]!], [leaving.id]]);
    await statesOf(active.zk, 'rolling', 3);
    const stale = await active.controller.controlledShutdown(leaving.id, leaving.epoch - 1n);
    expect(stale.errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
    expect((await active.controller.controlledShutdown(42, -1n)).errorCode).toBe(ErrorCode.BROKER_NOT_AVAILABLE);
    const result = await active.controller.controlledShutdown(leaving.id, leaving.epoch);
    // Partition 2 has one replica: nothing to move it to, so the broker still leads it.
    expect(result).toEqual({ errorCode: ErrorCode.NONE, remainingPartitions: [{ topic: 'rolling', partition: 2 }] });
    const states = await statesOf(active.zk, 'rolling', 3);
    expect(states[0]!.leaderAndIsr).toMatchObject({ leader: others[0], leaderEpoch: 1, isr: others });
    expect(states[1]!.leaderAndIsr).toMatchObject({ leader: others[0], leaderEpoch: 1, isr: others });
    const stop = await leaving.broker.waitFor(ApiKey.StopReplica, (b) => b.topicStates.some((t) => t.topicName === 'rolling'));
    // Sent before the ISR shrink, with the epoch the follower knows (as Kafka's doControlledShutdown).
    expect(stop.topicStates[0]!.partitionStates).toEqual([{ partitionIndex: 1, leaderEpoch: 0, deletePartition: false }]);
    const other = members.find((m) => m !== active && m !== leaving) ?? active;
    if (other !== active)
      expect((await other.controller.controlledShutdown(leaving.id, leaving.epoch)).errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  });

  it('serves AlterPartition and ControlledShutdown on a broker’s socket; a non-controller answers with an error', options, async () => {
    const active = await activeController();
    const other = members.find((m) => m !== active)!;
    const third = members.find((m) => m !== active && m !== other)!;
    await createTopic(active.zk, 'wire', [[other.id, active.id, third.id]]);
    await statesOf(active.zk, 'wire', 1);
    const serve = async (controller: Controller) => {
      const handlers = controllerHandlers(controller);
      const socketServer = new SocketServer({
        maxRequestBytes: 1 << 20,
        idleTimeoutMs: 60_000,
        maxInFlight: 10,
        maxQueuedResponseBytes: 1 << 20,
        router: createRouter(handlers),
        apiVersionsFallback: () => unsupportedApiVersionsResponse(handlers),
        onError: () => undefined,
        onHandlerFailure: () => undefined,
      });
      const [bound] = await socketServer.listen([{ name: 'PLAINTEXT', host: '127.0.0.1', port: 0 }]);
      const conn = await RawKafkaConnection.open('127.0.0.1', bound!.boundPort);
      return {
        conn,
        close: async () => {
          conn.close();
          await socketServer.close();
        },
      };
    };
    const onActive = await serve(active.controller);
    const onOther = await serve(other.controller);
    try {
      const shutdown = { brokerId: other.id, brokerEpoch: other.epoch };
      expect((await onOther.conn.request(ApiKey.ControlledShutdown, 3, shutdown)).errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
      expect(await onActive.conn.request(ApiKey.ControlledShutdown, 3, shutdown)).toEqual({ errorCode: 0, remainingPartitions: [] });
      const [moved] = await statesOf(active.zk, 'wire', 1, (st) => st.leaderAndIsr.leader === active.id);
      expect(moved!.leaderAndIsr.isr).toEqual([active.id, third.id]);
      const alter = {
        brokerId: active.id,
        brokerEpoch: active.epoch,
        topics: [
          {
            topicName: 'wire',
            topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
            partitions: [
              {
                partitionIndex: 0,
                leaderEpoch: moved!.leaderAndIsr.leaderEpoch,
                newIsr: [active.id],
                newIsrWithEpochs: [],
                leaderRecoveryState: 0,
                partitionEpoch: moved!.leaderAndIsr.partitionEpoch,
              },
            ],
          },
        ],
      };
      expect((await onOther.conn.request(ApiKey.AlterPartition, 1, alter)).errorCode).toBe(ErrorCode.NOT_CONTROLLER);
      const response = await onActive.conn.request(ApiKey.AlterPartition, 1, alter);
      expect(response.topics).toEqual([
        {
          topicName: 'wire',
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              leaderId: active.id,
              leaderEpoch: moved!.leaderAndIsr.leaderEpoch,
              isr: [active.id],
              leaderRecoveryState: 0,
              partitionEpoch: moved!.leaderAndIsr.partitionEpoch + 1,
            },
          ],
        },
      ]);
    } finally {
      await onActive.close();
      await onOther.close();
    }
  });
});
