import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultDescribeConfigsRequest } from '../../../src/protocol/generated/apis/describe-configs.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { brokerForTest } from '../../helpers/broker.js';
import { connect, produce } from './helpers.js';

const TOPIC = 2;
const BROKER = 4;
const [SET, DELETE, APPEND, SUBTRACT] = [0, 1, 2, 3];

type Op = { name: string; op: number; value?: string | null };

/** One IncrementalAlterConfigs resource, answered. */
async function alterIncrementally(conn: RawKafkaConnection, resourceType: number, resourceName: string, ops: Op[], validateOnly = false) {
  const response = await conn.request(ApiKey.IncrementalAlterConfigs, 1, {
    validateOnly,
    resources: [{ resourceType, resourceName, configs: ops.map((o) => ({ name: o.name, configOperation: o.op, value: o.value ?? null })) }],
  });
  return response.responses[0]!;
}

async function describeConfigs(
  conn: RawKafkaConnection,
  resourceType: number,
  resourceName: string,
  keys: string[] | null = null,
  version = 4,
) {
  const response = await conn.request(ApiKey.DescribeConfigs, version, {
    ...defaultDescribeConfigsRequest(),
    includeSynonyms: version >= 1,
    includeDocumentation: version >= 3,
    resources: [{ resourceType, resourceName, configurationKeys: keys }],
  });
  return response.results[0]!;
}

/** A batch of one record with a value of `size` bytes. */
const batchOf = (size: number) => encodeBatch({ records: [{ value: Buffer.alloc(size, 1) }] });

describe('config APIs: DescribeConfigs, AlterConfigs, IncrementalAlterConfigs', () => {
  let broker: StartedBroker;
  let admin: Admin;
  let conn: RawKafkaConnection;

  beforeAll(async () => {
    broker = await startBroker();
    admin = new Kafka({ clientId: 'config-apis', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    conn = await connect(broker);
  });

  afterAll(async () => {
    conn?.close();
    await admin?.disconnect();
    await broker?.stop();
  });

  it('describes a topic with kafkajs: overrides first in the synonyms, then the broker defaults', async () => {
    await admin.createTopics({ topics: [{ topic: 'described', configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
    const { resources } = await admin.describeConfigs({
      includeSynonyms: true,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'described', configNames: ['retention.ms', 'segment.bytes'] }],
    });
    const entries = Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(Object.keys(entries).sort()).toEqual(['retention.ms', 'segment.bytes']);
    expect(entries['retention.ms']).toMatchObject({
      configValue: '1000',
      isDefault: false,
      configSource: 1,
      isSensitive: false,
      readOnly: false,
    });
    // As Kafka: no synonym before the first named log.retention.ms, which is not set, so log.retention.hours is left out.
    expect(entries['retention.ms']!.configSynonyms).toEqual([{ configName: 'retention.ms', configValue: '1000', configSource: 1 }]);
    expect(entries['segment.bytes']).toMatchObject({ configValue: '1073741824', isDefault: true, configSource: 5 });
    expect(entries['segment.bytes']!.configSynonyms).toEqual([
      { configName: 'log.segment.bytes', configValue: '1073741824', configSource: 5 },
    ]);
  });

  it('answers every version, with documentation and types from v3, and refuses what it cannot describe', async () => {
    const v0 = await describeConfigs(conn, TOPIC, 'described', ['retention.ms'], 0);
    expect(v0.configs).toEqual([expect.objectContaining({ name: 'retention.ms', value: '1000', isDefault: false })]);
    const v4 = await describeConfigs(conn, TOPIC, 'described', ['cleanup.policy']);
    expect(v4.configs[0]).toMatchObject({ value: 'delete', configType: 7, documentation: expect.any(String) });
    expect(await describeConfigs(conn, TOPIC, 'missing')).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, configs: [] });
    expect(await describeConfigs(conn, TOPIC, 'bad name!')).toMatchObject({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION });
    expect(await describeConfigs(conn, BROKER, '7')).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Unexpected broker id, expected 0 or empty string, but received 7',
    });
    expect(await describeConfigs(conn, 8, '0')).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Unsupported resource type: BROKER_LOGGER',
    });
    const brokerEntries = (await describeConfigs(conn, BROKER, '0', ['broker.id', 'message.max.bytes'])).configs;
    expect(brokerEntries.map((c) => [c.name, c.value, c.readOnly])).toEqual([
      ['broker.id', '0', true],
      ['message.max.bytes', '1048588', false],
    ]);
  });

  it('AlterConfigs replaces every override, and a smaller max.message.bytes refuses larger batches at once', async () => {
    await admin.createTopics({ topics: [{ topic: 'limited', configEntries: [{ name: 'retention.ms', value: '5000' }] }] });
    expect((await produce(conn, 'limited', 0, batchOf(500))).errorCode).toBe(ErrorCode.NONE);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'limited', configEntries: [{ name: 'max.message.bytes', value: '200' }] }],
    });
    expect(broker.broker.metadata.topic('limited')!.configs).toEqual({ 'max.message.bytes': '200' });
    expect((await produce(conn, 'limited', 0, batchOf(500))).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect((await produce(conn, 'limited', 0, batchOf(10))).errorCode).toBe(ErrorCode.NONE);
  });

  it('IncrementalAlterConfigs sets, deletes, appends and subtracts; validate_only changes nothing', async () => {
    await admin.createTopics({ topics: [{ topic: 'incremental' }] });
    const configs = () => broker.broker.metadata.topic('incremental')!.configs;
    expect(await alterIncrementally(conn, TOPIC, 'incremental', [{ name: 'retention.ms', op: SET, value: '60000' }], true)).toMatchObject({
      errorCode: 0,
    });
    expect(configs()).toEqual({});
    await alterIncrementally(conn, TOPIC, 'incremental', [
      { name: 'retention.ms', op: SET, value: '60000' },
      { name: 'cleanup.policy', op: APPEND, value: 'compact' },
    ]);
    expect(configs()).toEqual({ 'retention.ms': '60000', 'cleanup.policy': 'delete,compact' });
    await alterIncrementally(conn, TOPIC, 'incremental', [
      { name: 'retention.ms', op: DELETE },
      { name: 'cleanup.policy', op: SUBTRACT, value: 'delete' },
    ]);
    expect(configs()).toEqual({ 'cleanup.policy': 'compact' });
    expect((await describeConfigs(conn, TOPIC, 'incremental', ['cleanup.policy'])).configs[0]).toMatchObject({
      value: 'compact',
      configSource: 1,
    });
  });

  it('refuses with Kafka 3.9’s codes and messages, each resource on its own', async () => {
    const refusal = async (type: number, name: string, ops: Op[]) => {
      const { errorCode, errorMessage } = await alterIncrementally(conn, type, name, ops);
      return { errorCode, errorMessage };
    };
    expect(await refusal(TOPIC, 'incremental', [{ name: 'foo', op: SET, value: '1' }])).toEqual({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Unknown topic config name: foo',
    });
    expect(await refusal(TOPIC, 'incremental', [{ name: 'retention.ms', op: SET, value: 'soon' }])).toEqual({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage:
        "Invalid config value for resource ConfigResource(type=TOPIC, name='incremental'): Invalid value soon for configuration retention.ms: Not a number of type LONG",
    });
    expect(await refusal(TOPIC, 'incremental', [{ name: 'retention.ms', op: APPEND, value: '1' }])).toEqual({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Config value append is not allowed for config key: retention.ms',
    });
    expect(
      await refusal(TOPIC, 'incremental', [
        { name: 'retention.ms', op: SET, value: '1' },
        { name: 'retention.ms', op: DELETE },
      ]),
    ).toEqual({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Error due to duplicate config keys',
    });
    expect(
      await refusal(TOPIC, 'incremental', [
        { name: 'retention.ms', op: SET, value: null },
        { name: 'segment.ms', op: SET, value: null },
      ]),
    ).toEqual({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Null value not supported for : retention.ms, segment.ms',
    });
    expect(await refusal(TOPIC, 'nope', [{ name: 'retention.ms', op: SET, value: '1' }])).toEqual({
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: "The topic 'nope' does not exist.",
    });
    expect(await refusal(BROKER, '0', [{ name: 'broker.id', op: SET, value: '3' }])).toEqual({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Cannot update these configs dynamically: Set(broker.id)',
    });
    expect(await refusal(BROKER, '1', [{ name: 'message.max.bytes', op: SET, value: '3' }])).toEqual({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Unexpected broker id, expected 0, but received 1',
    });
    const twice = await conn.request(ApiKey.AlterConfigs, 2, {
      validateOnly: false,
      resources: [0, 1].map(() => ({ resourceType: TOPIC, resourceName: 'incremental', configs: [{ name: 'retention.ms', value: '1' }] })),
    });
    expect(twice.responses.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
      [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
    ]);
    expect(broker.broker.metadata.topic('incremental')!.configs).toEqual({ 'cleanup.policy': 'compact' });
  });

  it('applies cluster-default and per-broker dynamic configs to topics without overrides, at once', async () => {
    await admin.createTopics({ topics: [{ topic: 'follows-broker' }] });
    expect((await produce(conn, 'follows-broker', 0, batchOf(400))).errorCode).toBe(ErrorCode.NONE);
    expect(await alterIncrementally(conn, BROKER, '', [{ name: 'message.max.bytes', op: SET, value: '300' }])).toMatchObject({
      errorCode: 0,
    });
    expect((await produce(conn, 'follows-broker', 0, batchOf(400))).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    const entry = (await describeConfigs(conn, TOPIC, 'follows-broker', ['max.message.bytes'])).configs[0]!;
    expect(entry).toMatchObject({ value: '300', configSource: 3 });
    expect(entry.synonyms.map((s) => [s.name, s.value, s.source])).toEqual([
      ['message.max.bytes', '300', 3],
      ['message.max.bytes', '1048588', 5],
    ]);
    expect((await describeConfigs(conn, BROKER, '')).configs.map((c) => [c.name, c.value, c.configSource])).toEqual([
      ['message.max.bytes', '300', 3],
    ]);

    // The per-broker setting wins over the cluster default; AlterConfigs with no entries clears it.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configEntries: [{ name: 'message.max.bytes', value: '2000' }] }],
    });
    expect((await produce(conn, 'follows-broker', 0, batchOf(400))).errorCode).toBe(ErrorCode.NONE);
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configEntries: [] }] });
    await alterIncrementally(conn, BROKER, '', [{ name: 'message.max.bytes', op: DELETE }]);
    expect(broker.broker.config().values['message.max.bytes']).toBe(1048588);
  });

  it('applies retention.bytes on the next retention pass', async () => {
    await admin.createTopics({ topics: [{ topic: 'retained', configEntries: [{ name: 'segment.bytes', value: '1024' }] }] });
    for (let i = 0; i < 6; i++) expect((await produce(conn, 'retained', 0, batchOf(600))).errorCode).toBe(ErrorCode.NONE);
    const log = broker.broker.logManager.getLog({ topic: 'retained', partition: 0 })!;
    broker.broker.logManager.cleanupLogs();
    expect(log.logStartOffset).toBe(0n);
    await alterIncrementally(conn, TOPIC, 'retained', [{ name: 'retention.bytes', op: SET, value: '1500' }]);
    broker.broker.logManager.cleanupLogs();
    expect(log.logStartOffset).toBeGreaterThan(0n);
    expect(log.size).toBeLessThanOrEqual(1500 + 1024);
  });
});

describe('config changes survive a restart', () => {
  let logDir: string;
  let running: StartedBroker;

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'kts-config-restart-'));
  });

  afterAll(async () => {
    await rm(logDir, { recursive: true, force: true });
  });

  it('keeps topic overrides and dynamic broker configs, in effect', async () => {
    running = await brokerForTest({ logDir });
    let conn = await connect(running);
    await conn.request(ApiKey.CreateTopics, 7, {
      timeoutMs: 5000,
      validateOnly: false,
      topics: [{ name: 'kept', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
    });
    await alterIncrementally(conn, TOPIC, 'kept', [{ name: 'max.message.bytes', op: SET, value: '250' }]);
    await alterIncrementally(conn, BROKER, '0', [{ name: 'log.retention.ms', op: SET, value: '7200000' }]);
    conn.close();
    await running.stop();

    running = await brokerForTest({ logDir });
    conn = await connect(running);
    try {
      expect((await produce(conn, 'kept', 0, batchOf(400))).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
      expect((await describeConfigs(conn, TOPIC, 'kept', ['retention.ms'])).configs[0]).toMatchObject({
        value: '7200000',
        configSource: 2,
      });
      expect(running.broker.logManager.getLog({ topic: 'kept', partition: 0 })!.config['retention.ms']).toBe(7200000);
    } finally {
      conn.close();
    }
  });
});
