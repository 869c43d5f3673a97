import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { createNativeProducer } from '../../../src/client/producer/producer.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { saltPassword } from '../../../src/client/scram.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { needs, PYTHON } from '../../helpers/requirements.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { fetchAll, runProcess } from './helpers.js';

const LONG_CONSUMER = new URL('./clients/long_consumer.py', import.meta.url).pathname;
const PASSWORDS = { admin: 'admin-secret', alice: 'alice-secret', bob: 'bob-secret' };
const PLAIN_JAAS = `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${PASSWORDS.admin}" user_admin="${PASSWORDS.admin}" user_alice="${PASSWORDS.alice}" user_bob="${PASSWORDS.bob}";`;
const METADATA = { ...defaultMetadataRequest(), topics: null };

async function startSaslBroker(config: Record<string, string>, logged: string[]): Promise<StartedBroker> {
  const broker = await startBroker({
    config: {
      listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
      'security.inter.broker.protocol': 'SASL_PLAINTEXT',
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256',
      'sasl.mechanism.inter.broker.protocol': 'PLAIN',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
      'auto.create.topics.enable': 'true',
      ...config,
    },
    log: (level, message) => logged.push(`${level} ${message}`),
  });
  // SCRAM users are made over an authenticated connection, as kafka-configs.sh --bootstrap-server does.
  const admin = await RawKafkaConnection.open('127.0.0.1', broker.port, {
    sasl: { mechanism: 'plain', username: 'admin', password: PASSWORDS.admin },
  });
  const salt = randomBytes(16);
  const altered = await admin.request(ApiKey.AlterUserScramCredentials, 0, {
    deletions: [],
    upsertions: ['alice', 'bob'].map((name) => ({
      name,
      mechanism: 1,
      iterations: 4096,
      salt,
      saltedPassword: saltPassword('SCRAM-SHA-256', PASSWORDS[name as 'alice'], salt, 4096),
    })),
  });
  admin.close();
  expect(altered.results.map((r) => r.errorCode)).toEqual([0, 0]);
  return broker;
}

/** A connection that has asked for API versions and nothing else: the test drives the SASL exchange. */
function unauthenticated(port: number): Promise<RawKafkaConnection> {
  return RawKafkaConnection.open('127.0.0.1', port, { negotiateVersions: true, timeoutMs: 5000 });
}

/** SaslHandshake v1 and one PLAIN SaslAuthenticate v2, as kafkajs and librdkafka send them; the SaslAuthenticate answer. */
async function plainLogin(conn: RawKafkaConnection, user: string, password: string, mechanism = 'PLAIN') {
  const handshake = await conn.request(ApiKey.SaslHandshake, 1, { mechanism });
  expect(handshake.errorCode).toBe(ErrorCode.NONE);
  return conn.request(ApiKey.SaslAuthenticate, 2, { authBytes: Buffer.from(`\0${user}\0${password}`) });
}

describe('connections.max.reauth.ms (KIP-368)', () => {
  const logged: string[] = [];
  let broker: StartedBroker;
  const PLAIN_LIFETIME_MS = 1500;
  const SCRAM_LIFETIME_MS = 3000;
  const expiredConnections = () => logged.filter((line) => line.includes('SASL session expired')).length;

  beforeAll(async () => {
    broker = await startSaslBroker(
      {
        'connections.max.reauth.ms': String(SCRAM_LIFETIME_MS),
        // Kafka's per-listener, per-mechanism form wins for PLAIN on this listener.
        'listener.name.sasl_plaintext.plain.connections.max.reauth.ms': String(PLAIN_LIFETIME_MS),
        'connection.failed.authentication.delay.ms': '10',
      },
      logged,
    );
  });

  afterAll(async () => {
    if (process.env.DEBUG_LOG) console.log(logged.join('\n'));
    await broker?.stop();
  });

  it("tells the client its session lifetime, the mechanism's own setting first", async () => {
    const conn = await unauthenticated(broker.port);
    const answer = await plainLogin(conn, 'alice', PASSWORDS.alice);
    expect(answer).toMatchObject({ errorCode: ErrorCode.NONE, sessionLifetimeMs: BigInt(PLAIN_LIFETIME_MS) });
    expect((await conn.request(ApiKey.Metadata, 12, METADATA)).brokers).toHaveLength(1);
    conn.close();
  });

  it('closes a connection that was not re-authenticated on its next request after the session expired', async () => {
    const conn = await unauthenticated(broker.port);
    await plainLogin(conn, 'alice', PASSWORDS.alice);
    await sleep(PLAIN_LIFETIME_MS + 200);
    await expect(conn.request(ApiKey.Metadata, 12, METADATA)).rejects.toThrow('connection closed by the broker');
    expect(
      logged.some((line) => line.includes('SASL session expired (connections.max.reauth.ms): Metadata sent without re-authenticating')),
    ).toBe(true);
  });

  it('re-authenticates on the live connection, again and again, past the first lifetime', async () => {
    const conn = await unauthenticated(broker.port);
    await plainLogin(conn, 'alice', PASSWORDS.alice);
    for (let round = 0; round < 3; round++) {
      await sleep(PLAIN_LIFETIME_MS - 400);
      const again = await plainLogin(conn, 'alice', PASSWORDS.alice);
      expect(again).toMatchObject({ errorCode: ErrorCode.NONE, sessionLifetimeMs: BigInt(PLAIN_LIFETIME_MS) });
      expect((await conn.request(ApiKey.Metadata, 12, METADATA)).brokers).toHaveLength(1);
    }
    // More than three lifetimes later the same connection still serves.
    expect(conn.failed).toBe(false);
    conn.close();
  });

  it('answers a second re-authentication within a second ILLEGAL_SASL_STATE, as Kafka, and keeps the connection', async () => {
    const conn = await unauthenticated(broker.port);
    await plainLogin(conn, 'alice', PASSWORDS.alice);
    expect((await plainLogin(conn, 'alice', PASSWORDS.alice)).errorCode).toBe(ErrorCode.NONE);
    const tooSoon = await conn.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
    expect(tooSoon.errorCode).toBe(ErrorCode.ILLEGAL_SASL_STATE);
    expect((await conn.request(ApiKey.Metadata, 12, METADATA)).brokers).toHaveLength(1);
    conn.close();
  });

  it('refuses re-authentication as another user, or with another mechanism, and closes the connection', async () => {
    const conn = await unauthenticated(broker.port);
    await plainLogin(conn, 'alice', PASSWORDS.alice);
    const asBob = await plainLogin(conn, 'bob', PASSWORDS.bob);
    expect(asBob).toMatchObject({
      errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
      errorMessage: 'Cannot change principals during re-authentication from User.alice: User.bob',
    });
    await expect(conn.request(ApiKey.Metadata, 12, METADATA)).rejects.toThrow('connection closed by the broker');

    const other = await unauthenticated(broker.port);
    await plainLogin(other, 'alice', PASSWORDS.alice);
    const scram = await plainLogin(other, 'alice', PASSWORDS.alice, 'SCRAM-SHA-256');
    expect(scram).toMatchObject({
      errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
      errorMessage: "SASL mechanism 'SCRAM-SHA-256' requested by client is not supported for re-authentication of mechanism 'PLAIN'",
    });
    await expect(other.request(ApiKey.Metadata, 12, METADATA)).rejects.toThrow('connection closed by the broker');
  });

  it("kts's own connection logs in again before each session ends, holding requests meanwhile, and keeps serving", async () => {
    const expiredBefore = expiredConnections();
    const conn = await RawKafkaConnection.open('127.0.0.1', broker.port, {
      sasl: { mechanism: 'plain', username: 'alice', password: PASSWORDS.alice },
    });
    // Bursts of pipelined requests for more than three 1.5 s sessions: some meet a re-authentication.
    const until = Date.now() + 3 * PLAIN_LIFETIME_MS + 500;
    let answered = 0;
    while (Date.now() < until) {
      const answers = await Promise.all(Array.from({ length: 5 }, () => conn.request(ApiKey.Metadata, 12, METADATA)));
      answered += answers.filter((a) => a.brokers.length === 1).length;
      await sleep(40);
    }
    expect(conn.failed).toBe(false);
    expect(answered).toBeGreaterThan(50);
    expect(expiredConnections()).toBe(expiredBefore);
    conn.close();
  });

  it("kts's own producer keeps producing over one connection across several session lifetimes", async () => {
    const expiredBefore = expiredConnections();
    const topic = 'reauth-kts-producer';
    const producer = await createNativeProducer({
      bootstrap: [{ host: '127.0.0.1', port: broker.port }],
      sasl: { mechanism: 'scram-sha-256', username: 'alice', password: PASSWORDS.alice },
      topics: [topic],
    });
    const values = Array.from({ length: 16 }, (_, i) => `m${i}`);
    for (const value of values) {
      await producer.sendAsync({ topic, value: Buffer.from(value) });
      await sleep(500);
    }
    await producer.close();
    // 8 s of 3 s sessions, and no connection was closed for an expired one.
    expect(expiredConnections()).toBe(expiredBefore);
    const conn = await RawKafkaConnection.open('127.0.0.1', broker.port, {
      sasl: { mechanism: 'plain', username: 'admin', password: PASSWORDS.admin },
    });
    const records = await fetchAll(conn, topic, 0);
    conn.close();
    expect(records.map((r) => r.value?.toString())).toEqual(values);
  });

  /** kafkajs over SASL, re-authenticating a second before each session ends. */
  const kafkajs = (user: keyof typeof PASSWORDS, mechanism: 'plain' | 'scram-sha-256') =>
    new Kafka({
      clientId: `reauth-${user}`,
      brokers: [`127.0.0.1:${broker.port}`],
      logLevel: logLevel.NOTHING,
      sasl: { mechanism, username: user, password: PASSWORDS[user] } as never,
      reauthenticationThreshold: 1000,
    });
  async function createTopic(topic: string): Promise<void> {
    const admin = kafkajs('alice', 'scram-sha-256').admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
  }
  /** `count` records m0, m1, ... one every 500 ms (8 s for 16: more than two 3 s sessions), as alice with SCRAM. */
  async function produceSlowly(topic: string, count: number): Promise<string[]> {
    const producer = kafkajs('alice', 'scram-sha-256').producer();
    const requests: string[] = [];
    producer.on(producer.events.REQUEST, ({ payload }) => requests.push(payload.apiName));
    await producer.connect();
    const values = Array.from({ length: count }, (_, i) => `m${i}`);
    for (const value of values) {
      await producer.send({ topic, messages: [{ value }] });
      await sleep(500);
    }
    await producer.disconnect();
    // kafkajs re-authenticated on the fly: handshakes beyond the first login.
    expect(requests.filter((name) => name === 'SaslHandshake').length).toBeGreaterThanOrEqual(3);
    return values;
  }

  it('kafkajs re-authenticates its connections and keeps producing across several session lifetimes', async () => {
    const expiredBefore = expiredConnections();
    await createTopic('reauth-kafkajs');
    const values = await produceSlowly('reauth-kafkajs', 16);
    // None of its connections was closed for an expired session.
    expect(expiredConnections()).toBe(expiredBefore);
    const conn = await RawKafkaConnection.open('127.0.0.1', broker.port, {
      sasl: { mechanism: 'plain', username: 'admin', password: PASSWORDS.admin },
    });
    const records = await fetchAll(conn, 'reauth-kafkajs', 0);
    conn.close();
    expect(records.map((r) => r.value?.toString())).toEqual(values);
  });

  it('a kafkajs consumer group keeps consuming across several session lifetimes', async () => {
    const topic = 'reauth-kafkajs-group';
    const consumer = kafkajs('bob', 'scram-sha-256').consumer({ groupId: 'reauth-group', heartbeatInterval: 300, maxWaitTimeInMs: 400 });
    const requests: string[] = [];
    consumer.on(consumer.events.REQUEST, ({ payload }) => requests.push(payload.apiName));
    await createTopic(topic);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const count = 16;
    const values: string[] = [];
    const all = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          if (values.length === count) resolve();
        },
      });
    });
    const produced = produceSlowly(topic, count);
    await all;
    await consumer.disconnect();
    expect(values).toEqual(await produced);
    expect(requests.filter((name) => name === 'SaslHandshake').length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    [
      'confluent',
      { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanisms': 'SCRAM-SHA-256', 'sasl.username': 'bob', 'sasl.password': PASSWORDS.bob },
    ],
    [
      'kafka-python',
      {
        security_protocol: 'SASL_PLAINTEXT',
        sasl_mechanism: 'SCRAM-SHA-256',
        sasl_plain_username: 'bob',
        sasl_plain_password: PASSWORDS.bob,
      },
    ],
  ] as const)(
    'a long-running %s consumer keeps consuming across several session lifetimes',
    needs('confluent-kafka', 'kafka-python'),
    async (library, settings) => {
      const topic = `reauth-${library}`;
      const count = 16;
      await createTopic(topic);
      const produced = produceSlowly(topic, count);
      const consumed = await runProcess(PYTHON, [LONG_CONSUMER, library, `127.0.0.1:${broker.port}`, topic, String(count)], {
        input: JSON.stringify(settings),
        timeoutMs: 70_000,
      });
      expect(JSON.parse(consumed.stdout.toString())).toEqual({ values: await produced });
    },
  );
});

describe('connection.failed.authentication.delay.ms per client address', () => {
  const logged: string[] = [];
  const DELAY_MS = 300;
  let broker: StartedBroker;
  let otherAddress: TcpProxy;

  beforeAll(async () => {
    broker = await startSaslBroker({ 'connection.failed.authentication.delay.ms': String(DELAY_MS) }, logged);
    // Connections through this proxy reach the broker from 127.0.0.2: another client address.
    otherAddress = await startTcpProxy();
    otherAddress.forwardTo('127.0.0.1', broker.port, '127.0.0.2');
  });

  afterAll(async () => {
    await otherAddress?.close();
    await broker?.stop();
  });

  /** One PLAIN guess on a new connection to `port`: whether it was accepted, and when its answer came. */
  async function guess(port: number, password: string): Promise<{ ok: boolean; at: number }> {
    const conn = await unauthenticated(port);
    const answer = await plainLogin(conn, 'alice', password);
    conn.close();
    return { ok: answer.errorCode === ErrorCode.NONE, at: performance.now() };
  }

  it('N wrong passwords guessed in parallel from one address take at least N × the delay', async () => {
    const n = 6;
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: n }, (_, i) => guess(broker.port, `guess-${i}`)));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(Math.max(...results.map((r) => r.at)) - started).toBeGreaterThanOrEqual(n * DELAY_MS);
  });

  it('SCRAM guesses wait their turn too, then the right password still works', async () => {
    const n = 4;
    const started = performance.now();
    const kafka = (password: string) =>
      new Kafka({
        clientId: 'guesser',
        brokers: [`127.0.0.1:${broker.port}`],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        sasl: { mechanism: 'scram-sha-256', username: 'bob', password },
      }).admin();
    const attempts = Array.from({ length: n }, (_, i) => {
      const admin = kafka(`wrong-${i}`);
      return admin.connect().then(
        () => 'connected',
        (err: Error) => err.message,
      );
    });
    const refused = await Promise.all(attempts);
    expect(refused.every((m) => m.includes('Authentication failed during authentication due to invalid credentials'))).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(n * DELAY_MS);
    const right = kafka(PASSWORDS.bob);
    await right.connect();
    await right.disconnect();
  });

  it('another address is not held behind the failures of one, and a right password from that one waits its turn', async () => {
    // Ten wrong guesses from 127.0.0.1 hold its turn for 3 s.
    const failures = Array.from({ length: 10 }, (_, i) => guess(broker.port, `wrong-${i}`));
    await sleep(50);
    const fromElsewhere = await guess(otherAddress.port, PASSWORDS.alice);
    const fromSameAddress = guess(broker.port, PASSWORDS.alice);
    const failed = await Promise.all(failures);
    expect(fromElsewhere.ok).toBe(true);
    // 127.0.0.2 was answered while 127.0.0.1's guesses were still being held ...
    expect(failed.filter((f) => f.at < fromElsewhere.at).length).toBeLessThan(failed.length);
    // ... and 127.0.0.1's right password only after all of them.
    const same = await fromSameAddress;
    expect(same.ok).toBe(true);
    expect(same.at).toBeGreaterThanOrEqual(Math.max(...failed.map((f) => f.at)));
  });
});
