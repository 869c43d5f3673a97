import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompressionTypes, ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { CompressionName } from '../../../src/protocol/records/batch-header.js';
import { iterateBatches } from '../../../src/protocol/records/batch-iterator.js';
import { decodeBatch } from '../../../src/protocol/records/record-batch.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import {
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
} from '../../../src/protocol/generated/apis/create-topics.js';
import { defaultFetchRequest } from '../../../src/protocol/generated/apis/fetch.js';
import { registerCompressionCodecs } from '../../helpers/kafkajs-codecs.js';
import { has, needs, PYTHON, type RequirementName } from '../../helpers/requirements.js';
import { connect, fetchAll, fetchTopic, runProcess } from './helpers.js';

/**
 * The broker issue's "done when": each client (kafkajs in-process; kcat, kafka-python and
 * confluent-kafka as separate processes) produces keyed messages with headers under every codec
 * it has, reads them back byte for byte, lists offsets and alters a topic config; then the broker
 * restarts on the same log dir and every client reads everything again.
 */

const CLIENTS_DIR = fileURLToPath(new URL('./clients/', import.meta.url));
const ALL_CODECS: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const PER_CODEC = 400;
const PARTITIONS = [0, 1];

/** One message as every client takes it: partition, key, value and headers (hex). */
interface Message {
  p: number;
  k: string;
  v: string;
  h: [string, string][];
}

/** [partition, offset, key, value, headers], all bytes in hex. */
type Consumed = [number, number, string, string, [string, string][]];

interface Offsets {
  start: number[];
  end: number[];
}

interface Client {
  name: string;
  /** What it runs on beyond npm's dependencies. */
  needs: RequirementName[];
  codecs: readonly CompressionName[];
  /** kcat reads lines and takes one set of headers per run: text values, fixed headers. */
  textOnly?: boolean;
  produce(bootstrap: string, topic: string, codec: CompressionName, messages: Message[]): Promise<void>;
  consume(bootstrap: string, topic: string, count: number): Promise<Consumed[]>;
  offsets(bootstrap: string, topic: string): Promise<Offsets>;
  alter?(bootstrap: string, topic: string, configs: Record<string, string>): Promise<void>;
}

const hex = (text: string | Buffer) => (typeof text === 'string' ? Buffer.from(text) : text).toString('hex');
const unhex = (h: string) => Buffer.from(h, 'hex');

function messagesFor(client: Client, codec: CompressionName): Message[] {
  return Array.from({ length: PER_CODEC }, (_, i) => {
    const text = `${codec} ☃ value ${i} `.repeat(1 + (i % 5));
    const value = client.textOnly ? Buffer.from(text) : Buffer.concat([Buffer.from([i & 0xff, 0, 0xff, 10]), Buffer.from(text)]);
    const headers: [string, string][] = client.textOnly
      ? [['codec', hex(codec)]]
      : [
          ['codec', hex(codec)],
          ['seq', hex(String(i))],
          ['bin', hex(Buffer.from([0, i & 0xff, 0xff]))],
        ];
    return { p: i % 2, k: hex(`${client.name}/${codec}/${i}`), v: value.toString('hex'), h: headers };
  });
}

async function runJson(script: string, args: string[], input: unknown): Promise<string> {
  const run = await runProcess(PYTHON, [join(CLIENTS_DIR, script), ...args], { input: JSON.stringify(input), timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`${script} ${args[0]} exited ${run.code}: ${run.stderr}`);
  return run.stdout.toString();
}

function pythonClient(name: string, script: string, needs: RequirementName[], codecs: readonly CompressionName[]): Client {
  return {
    name,
    needs,
    codecs,
    produce: async (b, topic, codec, messages) => void (await runJson(script, ['produce', b, topic], { codec, messages })),
    consume: async (b, topic, count) => JSON.parse(await runJson(script, ['consume', b, topic], { count, partitions: PARTITIONS })),
    offsets: async (b, topic) => JSON.parse(await runJson(script, ['offsets', b, topic], { partitions: PARTITIONS })),
    alter: async (b, topic, configs) => void (await runJson(script, ['alter', b, topic], { configs })),
  };
}

async function kcat(args: string[], input?: string): Promise<string> {
  const run = await runProcess('kcat', args, { input, timeoutMs: 30_000 });
  if (run.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run.stdout.toString();
}

const KCAT: Client = {
  name: 'kcat',
  needs: ['kcat'],
  codecs: ALL_CODECS,
  textOnly: true,
  async produce(b, topic, codec, messages) {
    for (const partition of PARTITIONS) {
      const lines = messages.filter((m) => m.p === partition).map((m) => `${unhex(m.k)}\t${unhex(m.v)}\n`);
      const headers = messages[0]!.h.flatMap(([name, value]) => ['-H', `${name}=${unhex(value)}`]);
      // One batch per run, so the stored codecs are exactly the ones asked for: librdkafka sends what
      // it has once linger.ms passes (kcat may still be reading stdin), and a small batch that its codec
      // does not shrink goes uncompressed. A batch is sent at once when full, so full = every line.
      const oneBatch = ['-X', `batch.num.messages=${lines.length}`, '-X', 'linger.ms=10000'];
      await kcat(['-b', b, '-P', '-t', topic, '-p', String(partition), '-K', '\t', '-z', codec, ...oneBatch, ...headers], lines.join(''));
    }
  },
  async consume(b, topic) {
    const out = await kcat(['-b', b, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p\t%o\t%k\t%s\t%h\n']);
    return out
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [p, o, k, v, h] = line.split('\t');
        const headers = h!
          .split(',')
          .map((pair): [string, string] => [pair.slice(0, pair.indexOf('=')), hex(pair.slice(pair.indexOf('=') + 1))]);
        return [Number(p), Number(o), hex(k!), hex(v!), headers];
      });
  },
  async offsets(b, topic) {
    const query = async (time: number) => {
      const out = await kcat(['-b', b, '-Q', ...PARTITIONS.flatMap((p) => ['-t', `${topic}:${p}:${time}`])]);
      return PARTITIONS.map((p) => Number(new RegExp(`\\[${p}\\] offset (-?\\d+)`).exec(out)![1]));
    };
    return { start: await query(-2), end: await query(-1) };
  },
};

const KAFKAJS_CODEC: Record<CompressionName, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

function kafkajsClient(): Client {
  const kafka = (b: string) => new Kafka({ clientId: 'matrix', brokers: [b], logLevel: logLevel.NOTHING });
  let groups = 0;
  return {
    name: 'kafkajs',
    needs: [],
    codecs: ALL_CODECS,
    async produce(b, topic, codec, messages) {
      const producer = kafka(b).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      try {
        for (let i = 0; i < messages.length; i += 100) {
          await producer.send({
            topic,
            compression: KAFKAJS_CODEC[codec],
            messages: messages.slice(i, i + 100).map((m) => ({
              partition: m.p,
              key: unhex(m.k),
              value: unhex(m.v),
              headers: Object.fromEntries(m.h.map(([name, value]) => [name, unhex(value)])),
            })),
          });
        }
      } finally {
        await producer.disconnect();
      }
    },
    async consume(b, topic, count) {
      const consumer = kafka(b).consumer({ groupId: `matrix-${groups++}` });
      const got: Consumed[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`kafkajs consumed ${got.length} of ${count}`)), 30_000);
          void consumer.run({
            eachMessage: async ({ partition, message }) => {
              const headers = Object.entries(message.headers ?? {}).map(([name, value]): [string, string] => [
                name,
                (value as Buffer).toString('hex'),
              ]);
              got.push([partition, Number(message.offset), message.key!.toString('hex'), message.value!.toString('hex'), headers]);
              if (got.length >= count) {
                clearTimeout(timer);
                resolve();
              }
            },
          });
        });
      } finally {
        await consumer.disconnect();
      }
      return got;
    },
    async offsets(b, topic) {
      const admin = kafka(b).admin();
      await admin.connect();
      try {
        const offsets = (await admin.fetchTopicOffsets(topic)).sort((x, y) => x.partition - y.partition);
        return { start: offsets.map((o) => Number(o.low)), end: offsets.map((o) => Number(o.high)) };
      } finally {
        await admin.disconnect();
      }
    },
    async alter(b, topic, configs) {
      const admin = kafka(b).admin();
      await admin.connect();
      try {
        await admin.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: ConfigResourceTypes.TOPIC,
              name: topic,
              configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
            },
          ],
        });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

const CLIENTS: Client[] = [
  kafkajsClient(),
  KCAT,
  pythonClient('kafka-python', 'kafka_python_client.py', ['kafka-python', 'kafka-python-codecs'], ALL_CODECS),
  pythonClient('confluent-kafka', 'confluent_client.py', ['confluent-kafka'], ALL_CODECS),
];
/** The clients this machine can run (with KTS_TEST_STRICT=1, every one: `needs` fails the file otherwise). */
const RUNNABLE = CLIENTS.filter((c) => c.needs.every(has));

/** What a client sent, per partition in send order: [partition, offset, key, value, headers]. */
function expectedFor(client: Client): Consumed[] {
  const sent = client.codecs.flatMap((codec) => messagesFor(client, codec));
  return PARTITIONS.flatMap((p) => sent.filter((m) => m.p === p).map((m, offset): Consumed => [p, offset, m.k, m.v, m.h]));
}

const byPartitionAndOffset = (a: Consumed, b: Consumed) => a[0] - b[0] || a[1] - b[1];

describe('every client, every codec, across a restart', () => {
  let logDir: string;
  let broker: StartedBroker;

  beforeAll(async () => {
    registerCompressionCodecs();
    logDir = await mkdtemp(join(tmpdir(), 'kts-client-matrix-'));
    broker = await startBroker({ logDir, config: { 'num.partitions': '2' } });
    const conn = await connect(broker);
    try {
      const response = await conn.request(ApiKey.CreateTopics, 7, {
        ...defaultCreateTopicsRequest(),
        topics: CLIENTS.map((c) => ({
          ...defaultCreateTopicsRequestCreatableTopic(),
          name: `matrix-${c.name}`,
          numPartitions: PARTITIONS.length,
          replicationFactor: 1,
        })),
      });
      expect(response.topics.map((t) => t.errorCode)).toEqual(CLIENTS.map(() => 0));
    } finally {
      conn.close();
    }
  });

  afterAll(async () => {
    await broker?.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  /** The codecs of the stored batches of a partition, consecutive repeats folded. */
  async function storedCodecs(topic: string, partition: number): Promise<CompressionName[]> {
    const conn = await connect(broker);
    const codecs: CompressionName[] = [];
    try {
      for (let offset = 0n; ; ) {
        const response = await conn.request(ApiKey.Fetch, 12, {
          ...defaultFetchRequest(),
          maxBytes: 1 << 20,
          topics: [fetchTopic(topic, [{ partition, fetchOffset: offset }])],
        });
        const data = response.responses[0]!.partitions[0]!;
        const before = offset;
        for (const entry of iterateBatches(data.records ?? Buffer.alloc(0))) {
          const batch = decodeBatch(entry, { maxDecompressedBytes: 1 << 26 });
          if (codecs.at(-1) !== batch.compression) codecs.push(batch.compression);
          offset = batch.baseOffset + BigInt(batch.lastOffsetDelta) + 1n;
        }
        if (offset >= data.highWatermark || offset === before) return codecs;
      }
    } finally {
      conn.close();
    }
  }

  async function readsEverything(client: Client): Promise<void> {
    const topic = `matrix-${client.name}`;
    const expected = expectedFor(client);
    const consumed = await client.consume(broker.bootstrapServers, topic, expected.length);
    expect(consumed.sort(byPartitionAndOffset)).toEqual(expected);
    expect(await client.offsets(broker.bootstrapServers, topic)).toEqual({
      start: [0, 0],
      end: PARTITIONS.map((p) => expected.filter((m) => m[0] === p).length),
    });
  }

  for (const client of CLIENTS) {
    it(`${client.name} produces under each codec and reads it back byte for byte`, {
      ...needs(...client.needs),
      timeout: 120_000,
    }, async () => {
      const topic = `matrix-${client.name}`;
      for (const codec of client.codecs) await client.produce(broker.bootstrapServers, topic, codec, messagesFor(client, codec));
      await readsEverything(client);

      // The broker kept the bytes and the codecs as sent, whatever the client's own decoder makes of them.
      const conn = await connect(broker);
      try {
        const expected = expectedFor(client);
        for (const p of PARTITIONS) {
          const stored = (await fetchAll(conn, topic, p)).map(
            (r): Consumed => [p, Number(r.offset), hex(r.key!), hex(r.value!), r.headers.map((h) => [h.key, hex(h.value!)])],
          );
          expect(stored).toEqual(expected.filter((m) => m[0] === p));
        }
      } finally {
        conn.close();
      }
      // librdkafka and kafka-python send a batch uncompressed when compressing would not shrink it
      // (a short trailing batch), so uncompressed batches may turn up between the others.
      const compressed = (codecs: readonly CompressionName[]) => codecs.filter((c) => c !== 'none');
      for (const p of PARTITIONS) expect(compressed(await storedCodecs(topic, p))).toEqual(compressed(client.codecs));

      if (client.alter) {
        const retention = String(3_600_000 + CLIENTS.indexOf(client));
        await client.alter(broker.bootstrapServers, topic, { 'retention.ms': retention });
        expect(broker.broker.metadata.topic(topic)!.configs['retention.ms']).toBe(retention);
      }
    });
  }

  it('after a restart on the same log dir, every client reads everything again, configs kept', async () => {
    await broker.stop();
    broker = await startBroker({ logDir, config: { 'num.partitions': '2' } });
    for (const client of RUNNABLE) {
      await readsEverything(client);
      if (client.alter)
        expect(broker.broker.metadata.topic(`matrix-${client.name}`)!.configs['retention.ms']).toBe(
          String(3_600_000 + CLIENTS.indexOf(client)),
        );
    }
  }, 120_000);
});
