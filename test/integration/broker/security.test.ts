import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { type SaslCredentials, SaslAuthenticationError } from '../../../src/client/sasl-authenticate.js';
import { saltPassword } from '../../../src/client/scram.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { encodeRequest } from '../../../src/protocol/framing.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { makeCertificates, type TestCertificates } from '../../helpers/certificates.js';
import { needs, PYTHON } from '../../helpers/requirements.js';
import { runProcess } from './helpers.js';

const ROUNDTRIP = new URL('./clients/secure_roundtrip.py', import.meta.url).pathname;
const PASSWORDS = { admin: 'admin-secret-1', alice: 'alice-secret-2', bob: 'bob-secret-3' };
const PLAIN_JAAS = `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${PASSWORDS.admin}" user_admin="${PASSWORDS.admin}" user_alice="${PASSWORDS.alice}";`;

/** Every line the broker logged, to show that no secret ever reaches them. */
const logged: string[] = [];

describe('SASL and TLS listeners', needs('openssl'), () => {
  let certs: TestCertificates;
  let broker: StartedBroker;
  const port = (listener: string) => broker.broker.endpoints.find((e) => e.listenerName === listener)!.port;
  const bootstrap = (listener: string) => `127.0.0.1:${port(listener)}`;

  beforeAll(async () => {
    certs = makeCertificates();
    broker = await startBroker({
      config: {
        listeners: 'SASL_PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0,MTLS://127.0.0.1:0',
        'listener.security.protocol.map': 'SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,MTLS:SSL',
        'security.inter.broker.protocol': 'SASL_PLAINTEXT',
        'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
        'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
        'listener.name.sasl_ssl.plain.sasl.jaas.config': PLAIN_JAAS,
        // The broker's key store as PKCS12, as keytool writes it; the trust store as PEM.
        'ssl.keystore.type': 'PKCS12',
        'ssl.keystore.location': certs.brokerP12,
        'ssl.keystore.password': certs.p12Password,
        'ssl.truststore.type': 'PEM',
        'ssl.truststore.location': certs.caCert,
        'ssl.client.auth': 'requested',
        'listener.name.mtls.ssl.client.auth': 'required',
        'ssl.principal.mapping.rules': 'RULE:^CN=([^,]*),OU=eng,O=kts$/$1/L,DEFAULT',
        'connection.failed.authentication.delay.ms': '10',
        'auto.create.topics.enable': 'true',
      },
      log: (level, message) => logged.push(`${level} ${message}`),
    });
    // SCRAM users are made over an authenticated connection, as kafka-configs.sh --bootstrap-server does.
    const admin = await saslConnection({ mechanism: 'plain', username: 'admin', password: PASSWORDS.admin });
    const salt = randomBytes(16);
    const upsert = (name: string, mechanism: 1 | 2) => ({
      name,
      mechanism,
      iterations: 4096,
      salt,
      saltedPassword: saltPassword(mechanism === 1 ? 'SCRAM-SHA-256' : 'SCRAM-SHA-512', PASSWORDS[name as 'alice'], salt, 4096),
    });
    const altered = await admin.request(ApiKey.AlterUserScramCredentials, 0, {
      deletions: [],
      upsertions: [upsert('alice', 1), upsert('alice', 2), upsert('bob', 1)],
    });
    admin.close();
    expect(altered.results.map((r) => [r.user, r.errorCode])).toEqual([
      ['alice', 0],
      ['bob', 0],
    ]);
  });

  afterAll(async () => {
    if (process.env.DEBUG_LOG) console.log(logged.join('\n'));
    await broker?.stop();
    certs?.remove();
  });

  function saslConnection(sasl: SaslCredentials, listener = 'SASL_PLAINTEXT'): Promise<RawKafkaConnection> {
    return RawKafkaConnection.open('127.0.0.1', port(listener), {
      sasl,
      timeoutMs: 5000,
      ...(listener === 'SASL_SSL' && { tls: { ca: readFileSync(certs.caCert) } }),
    });
  }

  const kcatSecurity = (protocol: string, mechanism?: string, user?: keyof typeof PASSWORDS) => [
    '-X',
    `security.protocol=${protocol}`,
    ...(mechanism ? ['-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${user}`, '-X', `sasl.password=${PASSWORDS[user!]}`] : []),
    ...(protocol.endsWith('SSL') ? ['-X', `ssl.ca.location=${certs.caCert}`] : []),
  ];

  async function kcatRoundTrip(listener: string, topic: string, security: string[]): Promise<string[]> {
    const produced = await runProcess('kcat', ['-b', bootstrap(listener), ...security, '-P', '-t', topic, '-p', '0'], {
      input: 'one\ntwo\nthree\n',
    });
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);
    const consumed = await runProcess('kcat', [
      '-b',
      bootstrap(listener),
      ...security,
      '-C',
      '-t',
      topic,
      '-p',
      '0',
      '-o',
      'beginning',
      '-c',
      '3',
      '-e',
      '-q',
    ]);
    expect(consumed.code).toBe(0);
    return consumed.stdout.toString().trim().split('\n');
  }

  it.each([
    ['SASL_PLAINTEXT', 'PLAIN', 'alice'],
    ['SASL_PLAINTEXT', 'SCRAM-SHA-256', 'bob'],
    ['SASL_SSL', 'SCRAM-SHA-512', 'alice'],
  ] as const)('kcat produces and consumes over %s with %s', needs('kcat'), async (listener, mechanism, user) => {
    const topic = `kcat-${mechanism.toLowerCase()}-${listener.toLowerCase()}`;
    expect(await kcatRoundTrip(listener, topic, kcatSecurity(listener, mechanism, user))).toEqual(['one', 'two', 'three']);
  });

  it('kcat over SSL presents its certificate to a listener that requires one', needs('kcat'), async () => {
    const alice = certs.client('alice');
    const security = [...kcatSecurity('SSL'), '-X', `ssl.certificate.location=${alice.cert}`, '-X', `ssl.key.location=${alice.key}`];
    expect(await kcatRoundTrip('MTLS', 'kcat-mtls', security)).toEqual(['one', 'two', 'three']);
  });

  it("kcat is refused with Kafka's message for a wrong password", needs('kcat'), async () => {
    const security = [
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=PLAIN',
      '-X',
      'sasl.username=alice',
      '-X',
      'sasl.password=wrong',
    ];
    const r = await runProcess('kcat', ['-b', bootstrap('SASL_PLAINTEXT'), ...security, '-L', '-m', '3']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Authentication failed: Invalid username or password');
  });

  it.each([
    ['scram-sha-512', 'SASL_PLAINTEXT', 'alice'],
    ['plain', 'SASL_SSL', 'alice'],
  ] as const)('kafkajs with %s over %s', async (mechanism, listener, user) => {
    const kafka = new Kafka({
      clientId: 'secure-kafkajs',
      brokers: [bootstrap(listener)],
      logLevel: logLevel.NOTHING,
      sasl: { mechanism, username: user, password: PASSWORDS[user] } as never,
      ...(listener === 'SASL_SSL' && { ssl: { ca: [readFileSync(certs.caCert, 'utf8')] } }),
    });
    const topic = `kafkajs-${mechanism}-${listener.toLowerCase()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `group-${topic}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          if (values.length === 2) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(values).toEqual(['one', 'two']);
  });

  it('kafkajs is refused for an unknown SCRAM user with the same message as a wrong password', async () => {
    const attempt = (username: string, password: string) =>
      new Kafka({
        clientId: 'x',
        brokers: [bootstrap('SASL_PLAINTEXT')],
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        sasl: { mechanism: 'scram-sha-256', username, password },
      })
        .admin()
        .connect()
        .then(
          () => 'connected',
          (err: Error) => err.message,
        );
    const unknown = await attempt('nobody', 'x');
    const wrong = await attempt('bob', 'wrong');
    expect(unknown).toContain('Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256');
    expect(wrong).toBe(unknown);
  });

  it.each([
    [
      'kafka-python',
      'SASL_PLAINTEXT',
      { security_protocol: 'SASL_PLAINTEXT', sasl_mechanism: 'PLAIN', sasl_plain_username: 'alice', sasl_plain_password: PASSWORDS.alice },
    ],
    [
      'kafka-python',
      'SASL_PLAINTEXT',
      {
        security_protocol: 'SASL_PLAINTEXT',
        sasl_mechanism: 'SCRAM-SHA-256',
        sasl_plain_username: 'bob',
        sasl_plain_password: PASSWORDS.bob,
      },
    ],
    [
      'confluent',
      'SASL_PLAINTEXT',
      {
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanisms': 'SCRAM-SHA-512',
        'sasl.username': 'alice',
        'sasl.password': PASSWORDS.alice,
      },
    ],
  ] as const)('%s over %s (%j)', needs('kafka-python', 'confluent-kafka'), async (library, listener, settings) => {
    const topic = `py-${library}-${Object.values(settings)[1]!.toLowerCase()}`;
    const r = await runProcess(PYTHON, [ROUNDTRIP, library, bootstrap(listener), topic], {
      input: JSON.stringify(settings),
      timeoutMs: 40_000,
    });
    expect(r.stdout.toString()).toContain('"values": ["one", "two", "three"]');
  });

  it(
    'kafka-python with a wrong password is refused (bare SASL tokens after SaslHandshake v0), and the broker logs why',
    needs('kafka-python'),
    async () => {
      const settings = {
        security_protocol: 'SASL_PLAINTEXT',
        sasl_mechanism: 'PLAIN',
        sasl_plain_username: 'alice',
        sasl_plain_password: 'not-hers',
        api_version_auto_timeout_ms: 3000,
        max_block_ms: 3000,
      };
      const r = await runProcess(PYTHON, [ROUNDTRIP, 'kafka-python', bootstrap('SASL_PLAINTEXT'), 'py-refused'], {
        input: JSON.stringify(settings),
        timeoutMs: 40_000,
      });
      expect(r.code).toBe(1);
      expect(r.stdout.toString()).toContain('"error"');
      expect(
        logged.some((line) => line.includes('Failed authentication with 127.0.0.1 (Authentication failed: Invalid username or password)')),
      ).toBe(true);
    },
  );

  it.each(['kafka-python', 'confluent'] as const)(
    '%s over SSL and SASL_SSL, with a client certificate where required',
    needs('kafka-python', 'confluent-kafka'),
    async (library) => {
      const alice = certs.client('alice');
      const ssl =
        library === 'kafka-python'
          ? { ssl_cafile: certs.caCert, ssl_certfile: alice.cert, ssl_keyfile: alice.key }
          : { 'ssl.ca.location': certs.caCert, 'ssl.certificate.location': alice.cert, 'ssl.key.location': alice.key };
      const protocol = library === 'kafka-python' ? 'security_protocol' : 'security.protocol';
      const mtls = await runProcess(PYTHON, [ROUNDTRIP, library, bootstrap('MTLS'), `py-${library}-mtls`], {
        input: JSON.stringify({ ...ssl, [protocol]: 'SSL' }),
        timeoutMs: 40_000,
      });
      expect(mtls.stdout.toString()).toContain('"values": ["one", "two", "three"]');
      const sasl =
        library === 'kafka-python'
          ? {
              security_protocol: 'SASL_SSL',
              sasl_mechanism: 'SCRAM-SHA-512',
              sasl_plain_username: 'alice',
              sasl_plain_password: PASSWORDS.alice,
              ssl_cafile: certs.caCert,
            }
          : {
              'security.protocol': 'SASL_SSL',
              'sasl.mechanisms': 'PLAIN',
              'sasl.username': 'alice',
              'sasl.password': PASSWORDS.alice,
              'ssl.ca.location': certs.caCert,
            };
      const saslSsl = await runProcess(PYTHON, [ROUNDTRIP, library, bootstrap('SASL_SSL'), `py-${library}-sasl-ssl`], {
        input: JSON.stringify(sasl),
        timeoutMs: 40_000,
      });
      expect(saslSsl.stdout.toString()).toContain('"values": ["one", "two", "three"]');
    },
  );

  it('a listener requiring client certificates refuses a client without one, or with one nobody trusts', needs('kcat'), async () => {
    const without = await runProcess('kcat', ['-b', bootstrap('MTLS'), ...kcatSecurity('SSL'), '-L', '-m', '3']);
    expect(without.code).not.toBe(0);
    const untrusted = [
      '-X',
      `ssl.certificate.location=${certs.untrustedClient.cert}`,
      '-X',
      `ssl.key.location=${certs.untrustedClient.key}`,
    ];
    const withUntrusted = await runProcess('kcat', ['-b', bootstrap('MTLS'), ...kcatSecurity('SSL'), ...untrusted, '-L', '-m', '3']);
    expect(withUntrusted.code).not.toBe(0);
    // The broker still serves a trusted client afterwards.
    const alice = certs.client('alice');
    const ok = await runProcess('kcat', [
      '-b',
      bootstrap('MTLS'),
      ...kcatSecurity('SSL'),
      '-X',
      `ssl.certificate.location=${alice.cert}`,
      '-X',
      `ssl.key.location=${alice.key}`,
      '-L',
      '-m',
      '3',
    ]);
    expect(ok.code).toBe(0);
  });

  /** Sends raw frames on a new plaintext connection; resolves to what came back before the broker closed it. */
  function exchange(frames: Buffer[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect(port('SASL_PLAINTEXT'), '127.0.0.1');
      const got: Buffer[] = [];
      socket.on('connect', () => socket.write(Buffer.concat(frames)));
      socket.on('data', (d) => got.push(d));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(got)));
      socket.setTimeout(5000, () => socket.destroy(new Error('the broker did not close the connection')));
    });
  }

  it('serves no API but ApiVersions and the SASL exchange before authentication', async () => {
    const metadata = Buffer.concat(encodeRequest(ApiKey.Metadata, 12, 1, 'sneaky', { ...defaultMetadataRequest(), topics: null }));
    expect((await exchange([metadata])).length).toBe(0);
    const apiVersions = Buffer.concat(
      encodeRequest(ApiKey.ApiVersions, 3, 0, 'x', { clientSoftwareName: 'x', clientSoftwareVersion: '1' }),
    );
    const answered = await exchange([apiVersions, metadata]);
    // One response (ApiVersions), then the connection closes instead of answering Metadata.
    expect(answered.readInt32BE(0) + 4).toBe(answered.length);
    expect(answered.readInt32BE(4)).toBe(0);
    expect(logged.some((line) => line.includes('Unexpected Kafka request of type Metadata during SASL handshake.'))).toBe(true);
    // Garbage in the exchange (a SaslAuthenticate-sized frame of random bytes) closes that connection only.
    const garbage = randomBytes(64);
    const framed = Buffer.concat([Buffer.from([0, 0, 0, garbage.length]), garbage]);
    expect((await exchange([framed])).length).toBe(0);
    const handshake = Buffer.concat(encodeRequest(ApiKey.SaslHandshake, 0, 0, 'x', { mechanism: 'PLAIN' }));
    expect((await exchange([handshake, framed])).length).toBeGreaterThan(0); // the handshake answered, then the bad token refused
    const conn = await saslConnection({ mechanism: 'scram-sha-512', username: 'alice', password: PASSWORDS.alice });
    expect((await conn.request(ApiKey.Metadata, 12, { ...defaultMetadataRequest(), topics: null })).brokers.length).toBe(1);
    conn.close();
  });

  it('answers an unsupported mechanism with the enabled ones, and a failed login with SASL_AUTHENTICATION_FAILED', async () => {
    await expect(saslConnection({ mechanism: 'plain', username: 'alice', password: 'wrong' })).rejects.toThrow(
      new SaslAuthenticationError('SASL authentication failed: Authentication failed: Invalid username or password'),
    );
    const handshake = Buffer.concat(encodeRequest(ApiKey.SaslHandshake, 1, 0, 'x', { mechanism: 'GSSAPI' }));
    const answer = await exchange([handshake]);
    expect(answer.readInt16BE(8)).toBe(ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    expect(answer.subarray(10).toString()).toContain('SCRAM-SHA-512');
  });

  it('an authenticated connection gets ILLEGAL_SASL_STATE for another handshake', async () => {
    const conn = await saslConnection({ mechanism: 'scram-sha-256', username: 'bob', password: PASSWORDS.bob });
    const again = await conn.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
    expect(again.errorCode).toBe(ErrorCode.ILLEGAL_SASL_STATE);
    conn.close();
  });

  it('never puts a secret in the logs or in DescribeConfigs', async () => {
    const conn = await saslConnection({ mechanism: 'plain', username: 'admin', password: PASSWORDS.admin });
    const described = await conn.request(ApiKey.DescribeConfigs, 4, {
      resources: [{ resourceType: 4, resourceName: String(broker.broker.brokerId), configurationKeys: null }],
      includeSynonyms: true,
      includeDocumentation: false,
    });
    conn.close();
    const text = JSON.stringify(described, (_, v) => (typeof v === 'bigint' ? String(v) : v));
    const secrets = [...Object.values(PASSWORDS), certs.p12Password];
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const secret of secrets) expect(logged.join('\n')).not.toContain(secret);
    const jaas = described.results[0]!.configs.find((c) => c.name === 'listener.name.sasl_plaintext.plain.sasl.jaas.config')!;
    expect(jaas).toMatchObject({ value: null, isSensitive: true });
    expect(described.results[0]!.configs.find((c) => c.name === 'ssl.keystore.password')).toMatchObject({ value: null, isSensitive: true });
  });
});
