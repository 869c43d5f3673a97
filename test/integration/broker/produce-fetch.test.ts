import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import {
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
} from '../../../src/protocol/generated/apis/create-topics.js';
import { defaultFetchRequest } from '../../../src/protocol/generated/apis/fetch.js';
import { defaultInitProducerIdRequest } from '../../../src/protocol/generated/apis/init-producer-id.js';
import {
  defaultListOffsetsRequest,
  defaultListOffsetsRequestListOffsetsPartition,
} from '../../../src/protocol/generated/apis/list-offsets.js';
import { defaultProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import { iterateBatches } from '../../../src/protocol/records/batch-iterator.js';
import { decodeMessageSet, encodeMessageSet } from '../../../src/protocol/records/legacy-message-set.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { connect, fetchAll, fetchTopic, produce } from './helpers.js';

const value = (text: string) => ({ value: Buffer.from(text) });

describe('produce and fetch over the wire', () => {
  let broker: StartedBroker;
  let conn: RawKafkaConnection;

  const createTopic = (name: string, numPartitions = 1) =>
    conn.request(ApiKey.CreateTopics, 7, {
      ...defaultCreateTopicsRequest(),
      topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name, numPartitions, replicationFactor: 1 }],
    });
  const listOffset = async (topic: string, timestamp: bigint, version = 9) =>
    (
      await conn.request(ApiKey.ListOffsets, version, {
        ...defaultListOffsetsRequest(),
        replicaId: -1,
        topics: [{ name: topic, partitions: [{ ...defaultListOffsetsRequestListOffsetsPartition(), timestamp }] }],
      })
    ).topics[0]!.partitions[0]!;

  beforeAll(async () => {
    broker = await startBroker();
    conn = await connect(broker);
  });

  afterAll(async () => {
    conn?.close();
    await broker?.stop();
  });

  it('answers a retried idempotent batch with its original offset and writes it once', async () => {
    await createTopic('idem');
    const { producerId, producerEpoch, errorCode } = await conn.request(ApiKey.InitProducerId, 4, {
      ...defaultInitProducerIdRequest(),
      transactionalId: null,
    });
    expect(errorCode).toBe(0);
    const batch = (baseSequence: number, texts: string[], epoch = producerEpoch) =>
      encodeBatch({ producerId, producerEpoch: epoch, baseSequence, records: texts.map(value) });

    expect(await produce(conn, 'idem', 0, batch(0, ['a', 'b']))).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(await produce(conn, 'idem', 0, batch(2, ['c']))).toMatchObject({ errorCode: 0, baseOffset: 2n });
    // The same batch again, as a producer retries after a lost response.
    expect(await produce(conn, 'idem', 0, batch(0, ['a', 'b']))).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(await produce(conn, 'idem', 0, batch(2, ['c']))).toMatchObject({ errorCode: 0, baseOffset: 2n });
    expect((await fetchAll(conn, 'idem', 0)).map((r) => r.value!.toString())).toEqual(['a', 'b', 'c']);

    expect((await produce(conn, 'idem', 0, batch(5, ['gap']))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect((await produce(conn, 'idem', 0, batch(0, ['new epoch'], producerEpoch + 1))).errorCode).toBe(0);
    expect((await produce(conn, 'idem', 0, batch(3, ['old epoch']))).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect((await produce(conn, 'idem', 0, batch(1, ['skips'], producerEpoch + 2))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect((await listOffset('idem', -1n)).offset).toBe(4n);

    const other = await conn.request(ApiKey.InitProducerId, 4, { ...defaultInitProducerIdRequest(), transactionalId: null });
    expect(other.producerId).not.toBe(producerId);
  });

  it('answers each partition of a produce request on its own', async () => {
    await createTopic('mixed');
    const records = () => encodeBatch({ records: [value('x')] });
    const response = await conn.request(ApiKey.Produce, 11, {
      ...defaultProduceRequest(),
      acks: 1,
      timeoutMs: 1000,
      topicData: [
        { name: 'mixed', partitionData: [0, 9].map((index) => ({ index, records: records() })) },
        { name: 'absent', partitionData: [{ index: 0, records: records() }] },
      ],
    });
    expect(response.responses.map((t) => [t.name, t.partitionResponses.map((p) => [p.index, p.errorCode])])).toEqual([
      [
        'mixed',
        [
          [0, 0],
          [9, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
        ],
      ],
      ['absent', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
    ]);
    expect((await fetchAll(conn, 'mixed', 0)).map((r) => r.value!.toString())).toEqual(['x']);
  });

  it('takes acks=0 without answering', async () => {
    await createTopic('fire-and-forget');
    conn.sendOnly(ApiKey.Produce, 9, {
      ...defaultProduceRequest(),
      acks: 0,
      timeoutMs: 1000,
      topicData: [{ name: 'fire-and-forget', partitionData: [{ index: 0, records: encodeBatch({ records: [value('unacked')] }) }] }],
    });
    // Responses come in request order, so this one proves the acks=0 request was handled and not answered.
    expect((await listOffset('fire-and-forget', -1n)).offset).toBe(1n);
  });

  it('wakes a long-polling fetch when records arrive', async () => {
    await createTopic('long-poll');
    const waiting = await connect(broker);
    try {
      // If appends did not wake the purgatory this would wait a minute, past this test's timeout.
      const pending = waiting.request(ApiKey.Fetch, 12, {
        ...defaultFetchRequest(),
        maxWaitMs: 60_000,
        minBytes: 1,
        topics: [fetchTopic('long-poll', [{ partition: 0, fetchOffset: 0n }])],
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await produce(conn, 'long-poll', 0, { records: [value('wake up')] });
      const data = (await pending).responses[0]!.partitions[0]!;
      expect(data.highWatermark).toBe(1n);
      expect(data.records!.length).toBeGreaterThan(0);
    } finally {
      waiting.close();
    }
  }, 10_000);

  it('runs incremental fetch sessions', async () => {
    await createTopic('session', 2);
    await produce(conn, 'session', 0, { records: [value('p0')] });
    await produce(conn, 'session', 1, { records: [value('p1')] });
    const fetch = (sessionId: number, sessionEpoch: number, topics: ReturnType<typeof fetchTopic>[], forgotten: number[] = []) =>
      conn.request(ApiKey.Fetch, 12, {
        ...defaultFetchRequest(),
        sessionId,
        sessionEpoch,
        topics,
        forgottenTopicsData: forgotten.length ? [{ topic: 'session', topicId: '', partitions: forgotten }] : [],
      });
    const full = await fetch(0, 0, [
      fetchTopic('session', [
        { partition: 0, fetchOffset: 0n },
        { partition: 1, fetchOffset: 0n },
      ]),
    ]);
    expect(full.sessionId).not.toBe(0);
    expect(full.responses[0]!.partitions.map((p) => [p.partitionIndex, p.highWatermark])).toEqual([
      [0, 1n],
      [1, 1n],
    ]);
    const id = full.sessionId;
    // Nothing new: the consumer moved on and no partition changed.
    const quiet = await fetch(id, 1, [
      fetchTopic('session', [
        { partition: 0, fetchOffset: 1n },
        { partition: 1, fetchOffset: 1n },
      ]),
    ]);
    expect(quiet).toMatchObject({ errorCode: 0, sessionId: id, responses: [] });
    await produce(conn, 'session', 1, { records: [value('more')] });
    const news = await fetch(id, 2, []);
    expect(news.responses.map((t) => t.partitions.map((p) => [p.partitionIndex, p.highWatermark]))).toEqual([[[1, 2n]]]);

    expect((await fetch(id, 7, [])).errorCode).toBe(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    expect((await fetch(id + 1, 1, [])).errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    const forget = await fetch(id, 3, [], [1]);
    expect(forget.errorCode).toBe(0);
    await produce(conn, 'session', 1, { records: [value('unwatched')] });
    expect((await fetch(id, 4, [])).responses).toEqual([]);
    // Epoch -1 closes the session and fetches without one.
    const closed = await fetch(id, -1, [fetchTopic('session', [{ partition: 0, fetchOffset: 0n }])]);
    expect(closed.sessionId).toBe(0);
    expect((await fetch(id, 5, [])).errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  });

  it('names topics by id from Fetch v13', async () => {
    await createTopic('by-id');
    await produce(conn, 'by-id', 0, { records: [value('found by id')] });
    const topicId = broker.broker.metadata.topic('by-id')!.topicId;
    const response = await conn.request(ApiKey.Fetch, 16, {
      ...defaultFetchRequest(),
      topics: [
        fetchTopic('', [{ partition: 0, fetchOffset: 0n }], topicId),
        fetchTopic('', [{ partition: 0, fetchOffset: 0n }], 'AAAAAAAAAAAAAAAAAAAABA'),
      ],
    });
    expect(response.responses[0]!.topicId).toBe(topicId);
    expect(response.responses[0]!.partitions[0]!.records!.length).toBeGreaterThan(0);
    expect(response.responses[1]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
  });

  it('returns a first batch larger than max_bytes whole (KIP-74) and refuses offsets out of range', async () => {
    await createTopic('big');
    await produce(conn, 'big', 0, { records: [{ value: Buffer.alloc(5000, 1) }] });
    await produce(conn, 'big', 0, { records: [{ value: Buffer.alloc(5000, 2) }] });
    const response = await conn.request(ApiKey.Fetch, 12, {
      ...defaultFetchRequest(),
      maxBytes: 100,
      topics: [fetchTopic('big', [{ partition: 0, fetchOffset: 0n }])],
    });
    const batches = [...iterateBatches(response.responses[0]!.partitions[0]!.records!)];
    expect(batches).toHaveLength(1);
    expect(batches[0]!.length).toBeGreaterThan(5000);
    const outOfRange = await conn.request(ApiKey.Fetch, 12, {
      ...defaultFetchRequest(),
      topics: [fetchTopic('big', [{ partition: 0, fetchOffset: 99n }])],
    });
    expect(outOfRange.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('bounds partitions by partition_max_bytes and the response by max_bytes, with log start, high watermark and LSO', async () => {
    await createTopic('sized', 2);
    for (const partition of [0, 1]) {
      for (let i = 0; i < 3; i++) await produce(conn, 'sized', partition, { records: [{ value: Buffer.alloc(1000, i) }] });
    }
    await conn.request(ApiKey.DeleteRecords, 2, {
      timeoutMs: 1000,
      topics: [{ name: 'sized', partitions: [{ partitionIndex: 0, offset: 1n }] }],
    });
    const fetch = async (maxBytes: number, partitionMaxBytes: number) => {
      const topic = fetchTopic('sized', [
        { partition: 0, fetchOffset: 1n },
        { partition: 1, fetchOffset: 0n },
      ]);
      for (const p of topic.partitions) p.partitionMaxBytes = partitionMaxBytes;
      const response = await conn.request(ApiKey.Fetch, 12, { ...defaultFetchRequest(), maxBytes, topics: [topic] });
      return response.responses[0]!.partitions.map((p) => ({
        batches: [...iterateBatches(p.records ?? Buffer.alloc(0))].map((b) => b.readBigInt64BE(0)),
        logStartOffset: p.logStartOffset,
        highWatermark: p.highWatermark,
        lastStableOffset: p.lastStableOffset,
      }));
    };
    // About 1070 bytes a batch: 1500 per partition lets one through each.
    expect(await fetch(1 << 20, 1500)).toEqual([
      { batches: [1n], logStartOffset: 1n, highWatermark: 3n, lastStableOffset: 3n },
      { batches: [0n], logStartOffset: 0n, highWatermark: 3n, lastStableOffset: 3n },
    ]);
    // max_bytes for the whole response: the first batch still comes whole (KIP-74), nothing after it.
    expect((await fetch(1500, 1 << 20)).map((p) => p.batches)).toEqual([[1n], []]);
    expect((await fetch(1 << 20, 1 << 20)).map((p) => p.batches)).toEqual([
      [1n, 2n],
      [0n, 1n, 2n],
    ]);
  });

  it('holds a fetch until min_bytes have arrived', async () => {
    await createTopic('min-bytes');
    for (let i = 0; i < 3; i++) await produce(conn, 'min-bytes', 0, { records: [{ value: Buffer.alloc(1000, i) }] });
    const waiting = await connect(broker);
    try {
      // Three batches (~3200 bytes) are there; 4000 are asked for, so the answer waits for a fourth.
      const pending = waiting.request(ApiKey.Fetch, 12, {
        ...defaultFetchRequest(),
        maxWaitMs: 30_000,
        minBytes: 4000,
        topics: [fetchTopic('min-bytes', [{ partition: 0, fetchOffset: 0n }])],
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await produce(conn, 'min-bytes', 0, { records: [{ value: Buffer.alloc(1000, 3) }] });
      const data = (await pending).responses[0]!.partitions[0]!;
      expect([...iterateBatches(data.records!)].map((b) => b.readBigInt64BE(0))).toEqual([0n, 1n, 2n, 3n]);
    } finally {
      waiting.close();
    }
  }, 10_000);

  it('up-converts old produce requests and down-converts for old fetchers', async () => {
    await createTopic('legacy');
    const messageSet = encodeMessageSet({
      magic: 1,
      compression: 'gzip',
      messages: [0n, 1n].map((offset) => ({
        offset,
        timestamp: 1_700_000_000_000n + offset,
        key: Buffer.from(`k${offset}`),
        value: Buffer.from(`v${offset}`),
      })),
    });
    const produced = await conn.request(ApiKey.Produce, 2, {
      ...defaultProduceRequest(),
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'legacy', partitionData: [{ index: 0, records: messageSet }] }],
    });
    expect(produced.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect((await fetchAll(conn, 'legacy', 0)).map((r) => [r.offset, r.key!.toString(), r.value!.toString(), r.timestamp])).toEqual([
      [0n, 'k0', 'v0', 1_700_000_000_000n],
      [1n, 'k1', 'v1', 1_700_000_000_001n],
    ]);
    for (const [version, magic] of [
      [0, 0],
      [3, 1],
    ] as const) {
      const fetched = await conn.request(ApiKey.Fetch, version, {
        ...defaultFetchRequest(),
        topics: [fetchTopic('legacy', [{ partition: 0, fetchOffset: 0n }])],
      });
      const messages = decodeMessageSet(fetched.responses[0]!.partitions[0]!.records!, {
        maxDecompressedBytes: 1 << 20,
        partialTail: 'ignore',
      });
      expect(messages.map((m) => [m.offset, m.magic, m.value!.toString()])).toEqual([
        [0n, magic, 'v0'],
        [1n, magic, 'v1'],
      ]);
    }
  });

  it('lists earliest, latest, max-timestamp and by-timestamp offsets', async () => {
    await createTopic('offsets');
    await produce(conn, 'offsets', 0, {
      compression: 'snappy',
      records: [100n, 900n, 300n].map((timestamp) => ({ value: Buffer.from('x'), timestamp })),
    });
    await produce(conn, 'offsets', 0, { records: [{ value: Buffer.from('y'), timestamp: 500n }] });
    expect(await listOffset('offsets', -2n)).toMatchObject({ errorCode: 0, offset: 0n, timestamp: -1n });
    expect(await listOffset('offsets', -1n)).toMatchObject({ offset: 4n, leaderEpoch: 0 });
    expect(await listOffset('offsets', -3n)).toMatchObject({ offset: 1n, timestamp: 900n });
    expect(await listOffset('offsets', 200n)).toMatchObject({ offset: 1n, timestamp: 900n });
    expect(await listOffset('offsets', 400n)).toMatchObject({ offset: 1n, timestamp: 900n });
    expect(await listOffset('offsets', 901n)).toMatchObject({ offset: -1n, timestamp: -1n });
    expect((await listOffset('offsets', -1n, 0)).oldStyleOffsets).toEqual([4n]);
    expect((await listOffset('missing', -1n)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});
