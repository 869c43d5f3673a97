import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { defaultProduceRequest, type ProduceRequestTopicProduceData } from '../../../src/protocol/generated/apis/produce.js';
import type { CompressionName } from '../../../src/protocol/records/batch-header.js';
import type { RecordInput } from '../../../src/protocol/records/record.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { withRecordBytes } from '../../unit/protocol/records/crafted-batch.js';
import { needs, PYTHON } from '../../helpers/requirements.js';
import { connect, fetchAll, produce, runProcess } from './helpers.js';

const CODECS: CompressionName[] = ['gzip', 'snappy', 'lz4', 'zstd'];

function records(n: number, value: (i: number) => Buffer = (i) => Buffer.from(`v${i}`)): RecordInput[] {
  const now = BigInt(Date.now());
  return Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`k${i}`), value: value(i), timestamp: now }));
}

/** A batch of `count` records whose bytes are all zeros once decompressed: the first record already has length 0. */
function zerosBomb(codec: CompressionName, bytes: number, count = 300): Buffer {
  const zeros = Buffer.alloc(bytes);
  return withRecordBytes(codec, records(count), () => zeros);
}

/** A well-formed batch whose `count` records each hold `valueBytes` zeros: compresses to almost nothing. */
function validBomb(codec: CompressionName, count: number, valueBytes: number): Buffer {
  const zeros = Buffer.alloc(valueBytes);
  return encodeBatch({ records: records(count, () => zeros), compression: codec });
}

function produceRequest(topicData: ProduceRequestTopicProduceData[], acks = -1) {
  return { ...defaultProduceRequest(), acks, timeoutMs: 5000, topicData };
}

async function createTopic(conn: RawKafkaConnection, name: string, partitions: number, configs: Record<string, string> = {}) {
  const created = await conn.request(ApiKey.CreateTopics, 7, {
    timeoutMs: 5000,
    validateOnly: false,
    topics: [
      {
        name,
        numPartitions: partitions,
        replicationFactor: 1,
        assignments: [],
        configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })),
      },
    ],
  });
  expect(created.topics[0]!.errorCode).toBe(0);
}

describe('what one Produce request may cost', () => {
  let broker: StartedBroker;
  let conn: RawKafkaConnection;

  beforeAll(async () => {
    broker = await startBroker({ log: () => {}, config: { 'socket.request.max.bytes': String(8 << 20) } });
    conn = await connect(broker);
    await createTopic(conn, 'bombs', CODECS.length);
    await createTopic(conn, 'dup', 2);
    await createTopic(conn, 'small', 1, { 'max.message.bytes': '10000' });
    await createTopic(conn, 'tiny-segments', 1, { 'segment.bytes': '1024' });
    await createTopic(conn, 'moved', 1);
  });

  afterAll(async () => {
    conn?.close();
    await broker?.stop();
  });

  it.each(CODECS.map((codec, partition) => [codec, partition] as const))(
    'refuses a %s bomb of zeros at its first record, and 200 entries of it for one partition are one answer',
    async (codec, partition) => {
      const bomb = zerosBomb(codec, 16 << 20);
      expect(bomb.length).toBeLessThan(1 << 20);
      const answer = await produce(conn, 'bombs', partition, bomb);
      expect(answer.errorCode).toBe(ErrorCode.INVALID_RECORD);
      expect(answer.errorMessage).toContain('invalid record length 0 in record 0');

      // As many as the 8 MiB request limit takes (snappy's ratio is ~21:1 at best).
      const copies = Math.min(200, Math.floor((7 << 20) / bomb.length));
      const entries = Array.from({ length: copies }, () => ({ index: partition, records: bomb }));
      const response = await conn.request(ApiKey.Produce, 11, produceRequest([{ name: 'bombs', partitionData: entries }]));
      expect(response.responses).toHaveLength(1);
      expect(response.responses[0]!.partitionResponses.map((p) => [p.index, p.errorCode])).toEqual([[partition, ErrorCode.INVALID_RECORD]]);
    },
  );

  it('answers a partition named several times once, with the last entry appended (as Kafka keys the request by partition)', async () => {
    const batch = (n: number) => encodeBatch({ records: records(n) });
    const response = await conn.request(
      ApiKey.Produce,
      11,
      produceRequest([
        {
          name: 'dup',
          partitionData: [
            { index: 0, records: batch(1) },
            { index: 1, records: batch(2) },
          ],
        },
        { name: 'dup', partitionData: [{ index: 0, records: batch(3) }] },
      ]),
    );
    expect(response.responses.map((t) => [t.name, t.partitionResponses.map((p) => [p.index, p.errorCode, p.baseOffset])])).toEqual([
      [
        'dup',
        [
          [0, 0, 0n],
          [1, 0, 0n],
        ],
      ],
    ]);
    expect(await fetchAll(conn, 'dup', 0)).toHaveLength(3);
    expect(await fetchAll(conn, 'dup', 1)).toHaveLength(2);
  });

  it.each(CODECS)(
    'refuses %s records that inflate past what the request could hold uncompressed (socket.request.max.bytes)',
    async (codec) => {
      // 10 records of 1 MiB each: every record fits max.message.bytes, all of them not the 8 MiB request limit.
      const answer = await produce(conn, 'bombs', 0, validBomb(codec, 10, 1_000_000));
      expect(answer.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
      expect(answer.errorMessage).toContain(`request's limit of ${8 << 20} bytes (socket.request.max.bytes)`);
      // Shared by the request: two batches of 5 MiB each pass alone, not together.
      const half = validBomb(codec, 5, 1_000_000);
      expect((await produce(conn, 'bombs', 1, half)).errorCode).toBe(0);
      const response = await conn.request(
        ApiKey.Produce,
        11,
        produceRequest([{ name: 'bombs', partitionData: [0, 1].map((index) => ({ index, records: half })) }]),
      );
      expect(response.responses[0]!.partitionResponses.map((p) => p.errorCode)).toEqual([0, ErrorCode.MESSAGE_TOO_LARGE]);
    },
  );

  it('answers a batch larger than a segment with RECORD_LIST_TOO_LARGE, as Kafka (not a storage error)', async () => {
    const answer = await produce(conn, 'tiny-segments', 0, { records: [{ value: Buffer.alloc(1000) }] });
    expect(answer.errorCode).toBe(ErrorCode.RECORD_LIST_TOO_LARGE);
    expect(answer.errorMessage).toMatch(
      /^Message batch size is \d+ bytes in append to partition tiny-segments-0 which exceeds the maximum configured segment size of 1024\.$/,
    );
  });

  it('does not append records checked in slices once this broker stopped leading the partition meanwhile', async () => {
    const { replicaManager, producePipeline, metadata } = broker.broker;
    const options = { requiredAcks: 1, apiVersion: 11, internalTopicsAllowed: false };
    // 3 MiB of records: checked in slices, over several turns of the event loop.
    const pending = producePipeline.produce([{ topic: 'moved', partition: 0, records: validBomb('gzip', 3, 1_000_000) }], options, {});
    expect(pending).toBeInstanceOf(Promise);
    // Meanwhile the controller makes another broker the leader (what LeaderAndIsr does in a cluster).
    const state = { replicas: [0, 1], leader: 1, leaderEpoch: 1, isr: [0, 1], partitionEpoch: 1 };
    expect(replicaManager.becomeLeaderOrFollower(metadata.topic('moved')!, 0, state, false)).toBe('follower');
    const [result] = await pending;
    expect(result).toMatchObject({ ok: false, error: { errorName: 'NOT_LEADER_OR_FOLLOWER' } });
    expect(replicaManager.partition('moved', 0)!.log.logEndOffset).toBe(0n);
  });

  it('refuses a compressed record larger than an uncompressed batch of its own could be (max.message.bytes)', async () => {
    const fits = validBomb('zstd', 3, 9_900);
    expect((await produce(conn, 'small', 0, fits)).errorCode).toBe(0);
    const answer = await produce(conn, 'small', 0, validBomb('zstd', 3, 10_000));
    expect(answer.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(answer.errorMessage).toMatch(
      /^The record at batch index 0 in the append to small-0 is \d+ bytes decompressed, which exceeds what a record batch of its own may hold under the maximum configured value of 10000\.$/,
    );
  });
});

describe('an expensive Produce and everyone else', () => {
  let broker: StartedBroker;

  beforeAll(async () => {
    broker = await startBroker({ log: () => {} });
    const conn = await connect(broker);
    await createTopic(conn, 'heavy', 1);
    await createTopic(conn, 'light', 1);
    conn.close();
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('keeps pipelined idempotent batches in sequence when the first is checked in slices', async () => {
    const conn = await connect(broker);
    try {
      const init = await conn.request(ApiKey.InitProducerId, 4, {
        transactionalId: null,
        transactionTimeoutMs: 60_000,
        producerId: -1n,
        producerEpoch: -1,
      });
      const idempotent = (sequence: number, batchRecords: RecordInput[], codec: CompressionName) =>
        encodeBatch({ records: batchRecords, compression: codec, producerId: init.producerId, producerEpoch: 0, baseSequence: sequence });
      // 8 MiB of records: far more than one slice, so its checks finish after the small batches behind it arrive.
      const large = idempotent(
        0,
        records(8, () => Buffer.alloc(1_000_000, 1)),
        'lz4',
      );
      const answers = await Promise.all([
        produce(conn, 'heavy', 0, large),
        ...[8, 9, 10].map((sequence) => produce(conn, 'heavy', 0, idempotent(sequence, records(1), 'none'))),
      ]);
      expect(answers.map((a) => [a.errorCode, a.baseOffset])).toEqual([
        [0, 0n],
        [0, 8n],
        [0, 9n],
        [0, 10n],
      ]);
    } finally {
      conn.close();
    }
  });

  it('serves kcat -L and a confluent-kafka producer while a connection pipelines bombs', {
    ...needs('kcat', 'confluent-kafka'),
    timeout: 60_000,
  }, async () => {
    const attacker = await connect(broker);
    try {
      // Well-formed records of zeros: nothing stops their checks early, each request inflates 48 MiB.
      // The attacker keeps 8 in flight until both clients are done, so they are served under attack
      // however long they take to start on a busy machine.
      const bomb = validBomb('zstd', 48, 1_000_000);
      let attacking = true;
      const bombErrors: number[] = [];
      const pipeline = async (): Promise<void> => {
        while (attacking) {
          const r = await attacker.request(
            ApiKey.Produce,
            11,
            produceRequest([{ name: 'heavy', partitionData: [{ index: 0, records: bomb }] }]),
          );
          bombErrors.push(r.responses[0]!.partitionResponses[0]!.errorCode);
        }
      };
      const bombs = Promise.all(Array.from({ length: 8 }, pipeline));
      const listing = await runProcess('kcat', ['-b', broker.bootstrapServers, '-L', '-t', 'light'], { timeoutMs: 30_000 });
      expect(listing.stdout.toString()).toContain('topic "light" with 1 partitions');
      const produced = await runProcess(
        PYTHON,
        [
          '-c',
          `
import sys
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'compression.type': 'zstd', 'linger.ms': 1})
for i in range(100): p.produce('light', value=b'light %d' % i, partition=0)
assert p.flush(30) == 0
print('ok')
`,
          broker.bootstrapServers,
        ],
        { timeoutMs: 30_000 },
      );
      expect(produced.stdout.toString().trim()).toBe('ok');
      attacking = false;
      await bombs;
      expect(bombErrors.length).toBeGreaterThanOrEqual(8);
      expect(new Set(bombErrors)).toEqual(new Set([0]));
      const conn = await connect(broker);
      try {
        expect(await fetchAll(conn, 'light', 0)).toHaveLength(100);
        const metadata = await conn.request(ApiKey.Metadata, 12, { ...defaultMetadataRequest(), topics: null });
        expect(metadata.topics.map((t) => t.name).sort()).toEqual(['heavy', 'light']);
      } finally {
        conn.close();
      }
    } finally {
      attacker.close();
    }
  });
});
