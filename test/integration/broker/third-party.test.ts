import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { needs, PYTHON } from '../../helpers/requirements.js';
import { connect, fetchAll, runProcess } from './helpers.js';

/** Produces with the given client library, reads everything back in assign mode and lists offsets; prints JSON. */
const KAFKA_PYTHON = `
import json, sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
b, topic = sys.argv[1], sys.argv[2]
p = KafkaProducer(bootstrap_servers=b, compression_type='gzip', acks='all')
for i in range(50):
    p.send(topic, key=b'key-%d' % i, value=bytes([i, 0, 255]) + ('snow ☃ %d' % i).encode(), headers=[('n', str(i).encode())], partition=i % 2)
p.flush(); p.close()
c = KafkaConsumer(bootstrap_servers=b, consumer_timeout_ms=3000, enable_auto_commit=False)
tps = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
c.assign(tps); c.seek_to_beginning()
got = []
for m in c:
    got.append([m.partition, m.offset, m.key.hex(), m.value.hex(), [[k, v.hex()] for k, v in m.headers]])
    if len(got) == 50: break
print(json.dumps({'records': got, 'end': [c.end_offsets(tps)[tp] for tp in tps], 'start': [c.beginning_offsets(tps)[tp] for tp in tps]}))
c.close()
`;

const CONFLUENT_KAFKA = `
import json, sys
from confluent_kafka import Producer, Consumer, TopicPartition
b, topic = sys.argv[1], sys.argv[2]
p = Producer({'bootstrap.servers': b, 'enable.idempotence': True, 'compression.type': 'zstd', 'linger.ms': 5})
for i in range(50):
    p.produce(topic, key=b'key-%d' % i, value=bytes([i, 0, 255]) + ('snow ☃ %d' % i).encode(), headers=[('n', str(i).encode())], partition=i % 2)
assert p.flush(10) == 0
c = Consumer({'bootstrap.servers': b, 'group.id': 'unused', 'enable.auto.commit': False})
c.assign([TopicPartition(topic, 0, 0), TopicPartition(topic, 1, 0)])
got = []
for _ in range(200):
    m = c.poll(0.2)
    if m is None or m.error(): continue
    got.append([m.partition(), m.offset(), m.key().hex(), m.value().hex(), [[k, v.hex()] for k, v in m.headers()]])
    if len(got) == 50: break
ends = [c.get_watermark_offsets(TopicPartition(topic, p), timeout=5) for p in (0, 1)]
print(json.dumps({'records': got, 'end': [e[1] for e in ends], 'start': [e[0] for e in ends]}))
c.close()
`;

/** What both Python scripts send, as [partition, offset, key, value, headers] in hex. */
function expectedPythonRecords(): unknown[] {
  const sent = Array.from({ length: 50 }, (_, i) => ({
    partition: i % 2,
    key: Buffer.from(`key-${i}`).toString('hex'),
    value: Buffer.concat([Buffer.from([i, 0, 255]), Buffer.from(`snow ☃ ${i}`)]).toString('hex'),
    headers: [['n', Buffer.from(String(i)).toString('hex')]],
  }));
  return [0, 1].flatMap((partition) =>
    sent.filter((m) => m.partition === partition).map((m, offset) => [partition, offset, m.key, m.value, m.headers]),
  );
}

const byPartitionAndOffset = (a: unknown, b: unknown) => {
  const [pa, oa] = a as [number, number];
  const [pb, ob] = b as [number, number];
  return pa - pb || oa - ob;
};

describe('third-party clients as separate processes', () => {
  let broker: StartedBroker;
  let conn: RawKafkaConnection;

  beforeAll(async () => {
    broker = await startBroker({ config: { 'num.partitions': '2' } });
    conn = await connect(broker);
  });

  afterAll(async () => {
    conn?.close();
    await broker?.stop();
  });

  it('kcat produces with every codec, keys and headers, and consumes the same bytes', needs('kcat'), async () => {
    const lines: string[] = [];
    for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
      const input = `${Array.from({ length: 20 }, (_, i) => `${codec}-k${i}:${codec} value ${i} ünïcode`).join('\n')}\n`;
      const produced = await runProcess(
        'kcat',
        ['-b', broker.bootstrapServers, '-P', '-t', 'kcat', '-p', '0', '-K:', '-z', codec, '-H', `codec=${codec}`],
        { input },
      );
      expect(produced.code, produced.stderr).toBe(0);
      lines.push(...input.trimEnd().split('\n'));
    }
    const consumed = await runProcess('kcat', [
      '-b',
      broker.bootstrapServers,
      '-C',
      '-t',
      'kcat',
      '-p',
      '0',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%k:%s|%h|%o\\n',
    ]);
    expect(consumed.code, consumed.stderr).toBe(0);
    const expected = lines.map((line, offset) => `${line}|codec=${line.split('-')[0]}|${offset}`);
    expect(consumed.stdout.toString().trimEnd().split('\n')).toEqual(expected);

    const records = await fetchAll(conn, 'kcat', 0);
    expect(records.map((r) => `${r.key}:${r.value}`)).toEqual(lines);
    const offsets = await runProcess('kcat', ['-b', broker.bootstrapServers, '-Q', '-t', 'kcat:0:-1']);
    expect(offsets.stdout.toString().trim()).toBe(`kcat [0] offset ${lines.length}`);
  });

  it('kafka-python produces, consumes and lists offsets', { ...needs('kafka-python'), timeout: 40_000 }, async () => {
    const run = await runProcess(PYTHON, ['-c', KAFKA_PYTHON, broker.bootstrapServers, 'kafka-python'], { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.toString());
    expect(result.records.sort(byPartitionAndOffset)).toEqual(expectedPythonRecords());
    expect(result).toMatchObject({ end: [25, 25], start: [0, 0] });
    expect((await fetchAll(conn, 'kafka-python', 1)).map((r) => r.key!.toString())).toEqual(
      Array.from({ length: 25 }, (_, i) => `key-${2 * i + 1}`),
    );
  });

  it('confluent-kafka (librdkafka) produces idempotently with zstd, consumes and lists offsets', {
    ...needs('confluent-kafka'),
    timeout: 40_000,
  }, async () => {
    const run = await runProcess(PYTHON, ['-c', CONFLUENT_KAFKA, broker.bootstrapServers, 'confluent'], { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.toString());
    expect(result.records.sort(byPartitionAndOffset)).toEqual(expectedPythonRecords());
    expect(result).toMatchObject({ end: [25, 25], start: [0, 0] });
  });
});
