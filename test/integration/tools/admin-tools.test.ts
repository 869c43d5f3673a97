import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { APIS } from '../../../src/protocol/generated/apis.js';
import { runKts } from '../../helpers/kts.js';

describe('configs, delete-records and broker-api-versions against the embedded broker', () => {
  let broker: StartedBroker;
  let dir: string;
  const kts = (args: string[]) => runKts([...args, '--bootstrap-server', broker.bootstrapServers], { timeoutMs: 30_000 });
  const jsonFile = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  beforeAll(async () => {
    broker = await startBroker();
    dir = await mkdtemp(join(tmpdir(), 'kts-admin-tools-'));
    const created = await kts(['topics', '--create', '--topic', 'orders', '--partitions', '2', '--config', 'retention.ms=1000']);
    expect(created.code).toBe(0);
  });

  afterAll(async () => {
    await broker?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('configs: describes and alters a topic with Kafka’s lines', async () => {
    expect(await kts(['configs', '--describe', '--topic', 'orders'])).toMatchObject({
      code: 0,
      stdout:
        'Dynamic configs for topic orders are:\n' +
        '  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000}\n',
    });
    const altered = await kts([
      'configs',
      '--alter',
      '--entity-type',
      'topics',
      '--entity-name',
      'orders',
      '--add-config',
      'cleanup.policy=[delete,compact], max.message.bytes = 5000',
    ]);
    expect(altered).toMatchObject({ code: 0, stdout: 'Completed updating config for topic orders.\n' });
    expect((await kts(['configs', '--alter', '--topic', 'orders', '--delete-config', 'retention.ms'])).code).toBe(0);
    expect(broker.broker.metadata.topic('orders')!.configs).toEqual({ 'cleanup.policy': 'delete,compact', 'max.message.bytes': '5000' });
    expect((await kts(['configs', '--describe', '--topic', 'orders'])).stdout).toBe(
      'Dynamic configs for topic orders are:\n' +
        '  cleanup.policy=delete,compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=delete,compact, DEFAULT_CONFIG:log.cleanup.policy=delete}\n' +
        '  max.message.bytes=5000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:max.message.bytes=5000, DEFAULT_CONFIG:message.max.bytes=1048588}\n',
    );
    const json = JSON.parse((await kts(['configs', '--describe', '--topic', 'orders', '--all', '--output', 'json'])).stdout);
    expect(json[0].configs.find((c: { name: string }) => c.name === 'segment.bytes')).toMatchObject({
      value: '1073741824',
      source: 'DEFAULT_CONFIG',
    });
  });

  it('configs: broker defaults and per-broker settings', async () => {
    expect(await kts(['configs', '--alter', '--broker-defaults', '--add-config', 'log.retention.hours=72'])).toMatchObject({
      code: 0,
      stdout: 'Completed updating default config for brokers in the cluster.\n',
    });
    expect((await kts(['configs', '--alter', '--broker', '0', '--add-config', 'num.io.threads=4'])).stdout).toBe(
      'Completed updating config for broker 0.\n',
    );
    expect((await kts(['configs', '--describe', '--entity-type', 'brokers'])).stdout).toBe(
      'Dynamic configs for broker 0 are:\n' +
        '  num.io.threads=4 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:num.io.threads=4, DEFAULT_CONFIG:num.io.threads=8}\n' +
        'Default configs for brokers in the cluster are:\n' +
        '  log.retention.hours=72 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.hours=72, DEFAULT_CONFIG:log.retention.hours=168}\n',
    );
    // The legacy AlterConfigs the tool sends for brokers keeps what was set before.
    await kts(['configs', '--alter', '--broker', '0', '--add-config', 'min.insync.replicas=1']);
    expect([...broker.broker.config().layers.dynamicBroker.keys()].sort()).toEqual(['min.insync.replicas', 'num.io.threads']);
    expect(broker.broker.config().values['log.retention.hours']).toBe(72);
  });

  it('configs: refusals, one line each', async () => {
    const invalid = await kts(['configs', '--alter', '--topic', 'orders', '--delete-config', 'segment.ms,nope']);
    expect([invalid.code, invalid.stderr]).toEqual([1, 'Invalid config(s): segment.ms,nope\n']);
    const noAction = await kts(['configs', '--topic', 'orders']);
    expect([noAction.code, noAction.stderr.trim()]).toEqual([2, 'Command must include exactly one action: --describe, --alter']);
    const badValue = await kts(['configs', '--alter', '--topic', 'orders', '--add-config', 'retention.ms=soon']);
    expect([badValue.code, badValue.stderr.trim()]).toEqual([
      1,
      "Error while executing config command: Invalid config value for resource ConfigResource(type=TOPIC, name='orders'): Invalid value soon for configuration retention.ms: Not a number of type LONG",
    ]);
    const format = await kts(['configs', '--alter', '--topic', 'orders', '--add-config', 'a=b=c']);
    expect([format.code, format.stderr.trim()]).toEqual([
      2,
      'Invalid entity config: all configs to be added must be in the format "key=val".',
    ]);
  });

  it('delete-records: Kafka’s JSON in, Kafka’s report out', async () => {
    // 'orders' is compacted by now (cleanup.policy=[delete,compact] above): its records need keys.
    const produced = await runKts(
      [
        'console-producer',
        '--topic',
        'orders',
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=:',
        '--bootstrap-server',
        broker.bootstrapServers,
      ],
      { input: 'k1:a\nk2:b\nk3:c\nk4:d\n' },
    );
    expect(produced.code).toBe(0);
    const hw =
      broker.broker.replicaManager.partition('orders', 0)!.highWatermark +
      broker.broker.replicaManager.partition('orders', 1)!.highWatermark;
    expect(hw).toBe(4n);
    const file = await jsonFile(
      'offsets.json',
      '{"partitions":[{"topic":"orders","partition":1,"offset":-1},{"topic":"orders","partition":0,"offset":0}],"version":1}',
    );
    const p1 = broker.broker.replicaManager.partition('orders', 1)!.highWatermark;
    expect(await kts(['delete-records', '--offset-json-file', file])).toMatchObject({
      code: 0,
      stdout: `Executing records delete operation\nRecords delete operation completed:\npartition: orders-0\tlow_watermark: 0\npartition: orders-1\tlow_watermark: ${p1}\n`,
    });
    const beyond = await kts([
      'delete-records',
      '--offset-json-file',
      await jsonFile('beyond.json', '{"partitions":[{"topic":"orders","partition":0,"offset":99}]}'),
    ]);
    expect(beyond.code).toBe(1);
    expect(beyond.stdout).toBe(
      'Executing records delete operation\nRecords delete operation completed:\n' +
        'partition: orders-0\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.\n',
    );
    const twice = await kts([
      'delete-records',
      '--offset-json-file',
      await jsonFile(
        'twice.json',
        '{"partitions":[{"topic":"orders","partition":0,"offset":1},{"topic":"orders","partition":0,"offset":2}],"version":1}',
      ),
    ]);
    expect([twice.code, twice.stderr.trim()]).toEqual([1, 'Offset json file contains duplicate topic partitions: orders-0']);
    const version = await kts(['delete-records', '--offset-json-file', await jsonFile('v2.json', '{"partitions":[],"version":2}')]);
    expect(version.stderr.trim()).toBe('Not supported version field value 2');
    const garbage = await kts(['delete-records', '--offset-json-file', await jsonFile('bad.json', '{"partitions":')]);
    expect(garbage.stderr.trim()).toBe('The input string is not a valid JSON');
  });

  it('broker-api-versions: one listing per broker, consistent with what the broker advertises', async () => {
    const result = await kts(['broker-api-versions']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`${broker.host}:${broker.port} (id: 0 rack: null) -> (`);
    expect(lines.at(-2)).toBe(')');
    expect(lines).toContain('\tProduce(0): 0 to 11 [usable: 11],');
    expect(lines).toContain('\tLeaderAndIsr(4): UNSUPPORTED,');
    const conn = await RawKafkaConnection.open(broker.host, broker.port, { negotiateVersions: true });
    conn.close();
    expect(conn.versions!.size).toBeGreaterThan(20);
    for (const [apiKey, { min, max }] of conn.versions!) {
      const range = min === max ? `${min}` : `${min} to ${max}`;
      expect(lines).toContain(`\t${APIS[apiKey as keyof typeof APIS].name}(${apiKey}): ${range} [usable: ${max}],`);
    }
  });
});
