import { connect as tcpConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultApiVersionsRequest } from '../../../src/protocol/generated/apis/api-versions.js';
import {
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
} from '../../../src/protocol/generated/apis/create-topics.js';
import { defaultFetchRequest } from '../../../src/protocol/generated/apis/fetch.js';
import { defaultProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import { decodeResponse, encodeRequest } from '../../../src/protocol/framing.js';
import { FrameSplitter } from '../../../src/protocol/frame-splitter.js';
import { iterateBatches } from '../../../src/protocol/records/batch-iterator.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { waitUntil } from '../../helpers/wait.js';
import { connect, fetchAll, fetchTopic, produce } from './helpers.js';

/** A client socket that writes request frames as given and collects the correlation ids of the responses, in arrival order. */
interface RawClient {
  socket: Socket;
  correlationIds: number[];
  closed: Promise<void>;
  /** Resolves once `count` responses came (rejects if the socket closes first or after `timeoutMs`). */
  responses(count: number, timeoutMs?: number): Promise<number[]>;
}

/** `onResponse` sees each response frame (size prefix removed) as it arrives. */
async function rawClient(broker: StartedBroker, { reading = true, onResponse = (_frame: Buffer) => {} } = {}): Promise<RawClient> {
  const socket = tcpConnect({ host: broker.host, port: broker.port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  if (!reading) socket.pause();
  const correlationIds: number[] = [];
  const frames = new FrameSplitter(Number.MAX_SAFE_INTEGER);
  const waiters = new Set<() => void>();
  socket.on('data', (data: Buffer) => {
    for (const frame of frames.push(data)) {
      correlationIds.push(frame.readInt32BE(0));
      onResponse(frame);
    }
    for (const wake of waiters) wake();
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    correlationIds,
    closed,
    responses: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${correlationIds.length} of ${count} responses within ${timeoutMs} ms`)), timeoutMs);
        const check = () => correlationIds.length >= count && done();
        const done = (err?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (err) reject(err);
          else resolve(correlationIds.slice(0, count));
        };
        waiters.add(check);
        void closed.then(() => correlationIds.length < count && done(new Error('connection closed')));
        check();
      }),
  };
}

const apiVersions = (correlationId: number) =>
  encodeRequest(ApiKey.ApiVersions, 3, correlationId, 'net', {
    ...defaultApiVersionsRequest(),
    clientSoftwareName: 'net',
    clientSoftwareVersion: '1',
  });

const longPoll = (correlationId: number, topic: string, maxWaitMs: number) =>
  encodeRequest(ApiKey.Fetch, 12, correlationId, 'net', {
    ...defaultFetchRequest(),
    maxWaitMs,
    minBytes: 1,
    topics: [fetchTopic(topic, [{ partition: 0, fetchOffset: 0n }])],
  });

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves true on the socket's next 'drain', false if none comes within `timeoutMs`. */
function drained(socket: Socket, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      socket.off('drain', onDrain);
      resolve(value);
    };
    const onDrain = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('drain', onDrain);
  });
}

async function createTopics(broker: StartedBroker, ...names: string[]): Promise<void> {
  const conn = await connect(broker);
  try {
    await conn.request(ApiKey.CreateTopics, 7, {
      ...defaultCreateTopicsRequest(),
      topics: names.map((name) => ({ ...defaultCreateTopicsRequestCreatableTopic(), name, numPartitions: 1, replicationFactor: 1 })),
    });
  } finally {
    conn.close();
  }
}

const produceRequest = (correlationId: number, topic: string, value: Buffer) =>
  encodeRequest(ApiKey.Produce, 9, correlationId, 'net', {
    ...defaultProduceRequest(),
    acks: 1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch({ records: [{ value }] }) }] }],
  });

describe('the network layer', () => {
  let broker: StartedBroker;
  const createTopic = (name: string) => createTopics(broker, name);

  beforeAll(async () => {
    broker = await startBroker({ config: { 'socket.request.max.bytes': '4096', 'connections.max.idle.ms': '500' }, log: () => {} });
  });

  afterAll(() => broker?.stop());

  it('answers pipelined requests in request order, a slow one holding back the fast ones after it', async () => {
    await createTopic('quiet');
    const client = await rawClient(broker);
    // The fetch waits 300 ms for data that never comes; the others could be answered at once.
    client.socket.write(Buffer.concat([...longPoll(1, 'quiet', 300), ...apiVersions(2), ...apiVersions(3)]));
    expect(await client.responses(3)).toEqual([1, 2, 3]);
    client.socket.destroy();
  });

  it('caps request frames at socket.request.max.bytes', async () => {
    await createTopic('capped');
    const request = (valueBytes: number) =>
      Buffer.concat(
        encodeRequest(ApiKey.Produce, 9, 7, 'net', {
          ...defaultProduceRequest(),
          acks: 1,
          timeoutMs: 1000,
          topicData: [
            { name: 'capped', partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: Buffer.alloc(valueBytes) }] }) }] },
          ],
        }),
      );
    const fits = await rawClient(broker);
    fits.socket.write(request(3000));
    expect(await fits.responses(1)).toEqual([7]);
    fits.socket.destroy();

    const tooBig = await rawClient(broker);
    tooBig.socket.write(request(5000));
    await tooBig.closed;
    expect(tooBig.correlationIds).toEqual([]);
  });

  it('closes connections idle past connections.max.idle.ms, and only those', async () => {
    const idle = await rawClient(broker);
    const busy = await rawClient(broker);
    // Busy: a request every 50 ms for twice the idle limit.
    for (let i = 0; i < 20; i++) {
      busy.socket.write(Buffer.concat(apiVersions(i)));
      await pause(50);
    }
    expect(await busy.responses(20)).toHaveLength(20);
    expect(busy.socket.destroyed).toBe(false);
    await idle.closed;
    busy.socket.destroy();
  });
});

describe('backpressure', () => {
  let broker: StartedBroker;

  beforeAll(async () => {
    broker = await startBroker({ log: () => {} });
  });

  afterAll(() => broker?.stop());

  it('stops reading a connection whose client does not read its responses, and resumes once it does', async () => {
    await createTopics(broker, 'bulk', 'marker');
    const conn = await connect(broker);
    for (let i = 0; i < 8; i++)
      expect((await produce(conn, 'bulk', 0, { records: [{ value: Buffer.alloc(1_000_000, i) }] })).errorCode).toBe(0);
    conn.close();
    const marker = () => broker.broker.logManager.getLog({ topic: 'marker', partition: 0 })!.logEndOffset;

    const client = await rawClient(broker, { reading: false });
    // 10 fetches of all 8 MB: 80 MB of responses, more than the socket buffers on both sides hold.
    const topic = fetchTopic('bulk', [{ partition: 0, fetchOffset: 0n }]);
    topic.partitions[0]!.partitionMaxBytes = 16 << 20;
    const bulkFetch = (correlationId: number) =>
      encodeRequest(ApiKey.Fetch, 12, correlationId, 'net', { ...defaultFetchRequest(), maxBytes: 16 << 20, topics: [topic] });
    client.socket.write(Buffer.concat(Array.from({ length: 10 }, (_, i) => Buffer.concat(bulkFetch(i)))));
    await pause(500);
    // Sent once the broker's writes are stuck: it must stay unread.
    client.socket.write(Buffer.concat(produceRequest(10, 'marker', Buffer.from('after'))));
    await pause(500);
    expect(marker()).toBe(0n);

    client.socket.resume();
    expect(await client.responses(11, 30_000)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(marker()).toBe(1n);
    client.socket.destroy();
  }, 40_000);

  it('answers pipelined Fetches one at a time and holds back the rest while their responses go unread', async () => {
    await createTopics(broker, 'large', 'filler');
    const conn = await connect(broker);
    const logEnd = (topic: string) => broker.broker.logManager.getLog({ topic, partition: 0 })!.logEndOffset;
    let client: RawClient | undefined;
    try {
      for (let i = 0; i < 20; i++)
        expect((await produce(conn, 'large', 0, { records: [{ value: Buffer.alloc(1_000_000, i) }] })).errorCode).toBe(0);

      const fetches = 50;
      const fetched: { highWatermark: bigint; complete: boolean }[] = [];
      client = await rawClient(broker, {
        reading: false,
        onResponse: (frame) => {
          if (frame.readInt32BE(0) >= fetches) return;
          const data = decodeResponse(ApiKey.Fetch, 12, frame).body.responses[0]!.partitions[0]!;
          const batches = [...iterateBatches(data.records!)];
          const complete =
            data.errorCode === 0 &&
            batches.length === Number(data.highWatermark) &&
            batches.every((b, offset) => b.readBigInt64BE(0) === BigInt(offset)) &&
            batches.reduce((sum, b) => sum + b.length, 0) === data.records!.length;
          fetched.push({ highWatermark: data.highWatermark, complete });
        },
      });
      // 50 fetches of the whole 20 MB log: 1 GB of responses if the broker answered them all at once.
      const topic = fetchTopic('large', [{ partition: 0, fetchOffset: 0n }]);
      topic.partitions[0]!.partitionMaxBytes = 50 << 20;
      const largeFetch = (correlationId: number) =>
        encodeRequest(ApiKey.Fetch, 12, correlationId, 'net', { ...defaultFetchRequest(), maxBytes: 50 << 20, topics: [topic] });
      client.socket.write(Buffer.concat(Array.from({ length: fetches }, (_, i) => Buffer.concat(largeFetch(i)))));

      // Then 1 MB Produce requests until the client's writes stop draining: the broker stopped reading.
      let fillers = 0;
      let stuck = false;
      while (!stuck && fillers < 64) {
        const flushed = client.socket.write(Buffer.concat(produceRequest(fetches + fillers++, 'filler', Buffer.alloc(1_000_000))));
        if (!flushed) stuck = !(await drained(client.socket, 1_000));
      }
      expect(stuck).toBe(true);
      expect(client.socket.writableLength).toBeGreaterThan(0);
      expect(logEnd('filler')).toBe(0n);
      // Appended while the broker holds fetches back: those dispatched after the client reads see it.
      expect((await produce(conn, 'large', 0, { records: [{ value: Buffer.from('late') }] })).errorCode).toBe(0);

      client.socket.resume();
      const all = Array.from({ length: fetches + fillers }, (_, i) => i);
      expect(await client.responses(all.length, 60_000)).toEqual(all);
      expect(fetched).toHaveLength(fetches);
      expect(fetched.every((f) => f.complete)).toBe(true);
      // Read ahead of the client: at most a few 20 MB responses (16 MiB cap plus the one that crossed it).
      const readAhead = fetched.filter((f) => f.highWatermark === 20n).length;
      expect(readAhead).toBeGreaterThan(0);
      expect(readAhead).toBeLessThan(5);
      expect(fetched.at(-1)!.highWatermark).toBe(21n);
      expect(logEnd('filler')).toBe(BigInt(fillers));
    } finally {
      client?.socket.destroy();
      conn.close();
    }
  }, 90_000);
});

describe('shutdown', () => {
  it('answers a waiting fetch, then closes the connection and stops listening', async () => {
    const broker = await startBroker({ log: () => {} });
    let conn: Awaited<ReturnType<typeof connect>> | undefined;
    try {
      conn = await connect(broker);
      await conn.request(ApiKey.CreateTopics, 7, {
        ...defaultCreateTopicsRequest(),
        topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: 'waiting', numPartitions: 1, replicationFactor: 1 }],
      });
      const waiting = conn.request(ApiKey.Fetch, 12, {
        ...defaultFetchRequest(),
        maxWaitMs: 60_000,
        minBytes: 1,
        topics: [fetchTopic('waiting', [{ partition: 0, fetchOffset: 0n }])],
      });
      await pause(100);
      const stopped = broker.stop();
      const answer = await waiting;
      expect(answer.responses[0]!.partitions[0]).toMatchObject({ errorCode: 0, highWatermark: 0n });
      await stopped;
      await waitUntil(() => conn!.failed, 'the connection to fail', 5_000);
      await expect(connect(broker)).rejects.toThrow();
    } finally {
      conn?.close();
      await broker.stop();
    }
  }, 15_000);
});

describe('Produce frames spanning socket chunks (copied into pooled buffers)', () => {
  it('keeps every record of pipelined requests intact, waiting behind a slow one and in buffers used again', async () => {
    const broker = await startBroker({ log: () => {} });
    const conn = await connect(broker);
    try {
      await conn.request(ApiKey.CreateTopics, 7, {
        ...defaultCreateTopicsRequest(),
        topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: 'pooled', numPartitions: 4, replicationFactor: 1 }],
      });
      const errors: number[] = [];
      const client = await rawClient(broker, {
        onResponse: (frame) =>
          errors.push(...decodeResponse(ApiKey.Produce, 9, frame).body.responses[0]!.partitionResponses.map((p) => p.errorCode)),
      });
      // Every value unique. A round is a 3 MB request (a 750 KB batch for each of 4 partitions),
      // checked in slices over several turns of the event loop, then twelve 150 KB requests to its
      // last partition (a few 64 KiB reads each), whose appends wait behind it while the next ones
      // arrive. The second round goes once the first is answered, so its frames go into buffers the
      // first one's used.
      const value = (request: number, partition: number, record: number) => Buffer.alloc(10_000, `${request}.${partition}.${record};`);
      const batch = (r: number, p: number, records: number) =>
        encodeBatch({ records: Array.from({ length: records }, (_, i) => ({ value: value(r, p, i) })) });
      const request = (r: number, partitions: number[], records: number) =>
        Buffer.concat(
          encodeRequest(ApiKey.Produce, 9, r, 'net', {
            ...defaultProduceRequest(),
            acks: 1,
            timeoutMs: 5000,
            topicData: [{ name: 'pooled', partitionData: partitions.map((p) => ({ index: p, records: batch(r, p, records) })) }],
          }),
        );
      const round = (first: number) => [
        request(first, [0, 1, 2, 3], 75),
        ...Array.from({ length: 12 }, (_, i) => request(first + 1 + i, [3], 15)),
      ];
      client.socket.write(Buffer.concat(round(0)));
      await client.responses(13);
      client.socket.write(Buffer.concat(round(13)));
      await client.responses(26);
      client.socket.destroy();
      expect(errors).toEqual(Array(32).fill(0));

      const expected = (p: number) =>
        [0, 13].flatMap((first) => [
          ...Array.from({ length: 75 }, (_, i) => value(first, p, i)),
          ...(p === 3 ? Array.from({ length: 12 * 15 }, (_, n) => value(first + 1 + Math.floor(n / 15), 3, n % 15)) : []),
        ]);
      for (const p of [0, 1, 2, 3]) {
        const values = (await fetchAll(conn, 'pooled', p)).map((rec) => rec.value!);
        expect(values).toHaveLength(expected(p).length);
        expect(values.filter((v, n) => !v.equals(expected(p)[n]!))).toEqual([]);
      }
    } finally {
      conn.close();
      await broker.stop();
    }
  });
});
