/**
 * Cross-check against librdkafka: kcat produces to a minimal fake broker (ApiVersions, Metadata
 * v0, then Produce is captured) and we decode the v2 batch it sent, for every codec.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { needs } from '../../../helpers/requirements.js';
import { BATCH, type CompressionName, computeBatchCrc } from '../../../../src/protocol/records/batch-header.js';
import { decodeBatch } from '../../../../src/protocol/records/record-batch.js';

const API_VERSIONS = 18;
const METADATA = 3;
const PRODUCE = 0;
/**
 * What the fake broker claims. librdkafka enables features by API versions: Produce v7 with
 * Fetch v10 for v2 batches and zstd, FindCoordinator (a 0.9 API) for lz4.
 */
const SUPPORTED: [number, number, number][] = [
  [PRODUCE, 0, 7],
  [1, 0, 10],
  [10, 0, 0],
  [METADATA, 0, 0],
  [API_VERSIONS, 0, 0],
];

function frame(correlationId: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(4 + body.length, 0);
  head.writeInt32BE(correlationId, 4);
  return Buffer.concat([head, body]);
}

function apiVersionsBody(errorCode: number): Buffer {
  const b = Buffer.alloc(6 + SUPPORTED.length * 6);
  b.writeInt16BE(errorCode, 0);
  b.writeInt32BE(SUPPORTED.length, 2);
  SUPPORTED.forEach(([key, min, max], i) => {
    b.writeInt16BE(key, 6 + i * 6);
    b.writeInt16BE(min, 8 + i * 6);
    b.writeInt16BE(max, 10 + i * 6);
  });
  return b;
}

function str(s: string): Buffer {
  const b = Buffer.alloc(2 + s.length);
  b.writeInt16BE(s.length, 0);
  b.write(s, 2);
  return b;
}

function int32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  for (const [i, v] of values.entries()) b.writeInt32BE(v, i * 4);
  return b;
}

/** Metadata v0: one broker (us) leading partition 0 of `topic`. */
function metadataBody(port: number, topic: string): Buffer {
  return Buffer.concat([
    int32s(1, 0), // brokers: [node 0
    str('127.0.0.1'),
    int32s(port, 1), // port], topics: [
    Buffer.from([0, 0]), // error
    str(topic),
    int32s(1), // partitions: [
    Buffer.from([0, 0]), // error
    int32s(0, 0, 1, 0, 1, 0), // id, leader, replicas [0], isr [0]
  ]);
}

/** The first CRC-valid v2 batch anywhere in a Produce request: no request parsing needed. */
function findBatch(request: Buffer): Buffer | undefined {
  for (let p = 0; p + BATCH.HEADER_SIZE <= request.length; p++) {
    if (request[p + BATCH.MAGIC] !== 2) continue;
    const size = request.readInt32BE(p + BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
    if (size < BATCH.HEADER_SIZE || size > request.length - p) continue;
    if (computeBatchCrc(request, p, size) === request.readUInt32BE(p + BATCH.CRC)) return request.subarray(p, p + size);
  }
  return undefined;
}

/** Accepts kcat's connections and resolves with the batch of its first Produce request. */
function fakeBroker(topic: string): { server: Server; produced: Promise<Buffer> } {
  let resolve: (b: Buffer) => void;
  const produced = new Promise<Buffer>((r) => (resolve = r));
  const server = createServer((socket: Socket) => {
    let pending = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const request = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + request.length);
        const apiKey = request.readInt16BE(0);
        const version = request.readInt16BE(2);
        const correlationId = request.readInt32BE(4);
        if (apiKey === API_VERSIONS) {
          // KIP-511: answer a version we do not know with UNSUPPORTED_VERSION in v0 format.
          socket.write(frame(correlationId, apiVersionsBody(version === 0 ? 0 : 35)));
        } else if (apiKey === METADATA) {
          socket.write(frame(correlationId, metadataBody((server.address() as AddressInfo).port, topic)));
        } else if (apiKey === PRODUCE) {
          const batch = findBatch(request);
          if (batch) resolve(Buffer.from(batch));
        }
      }
    });
  });
  return { server, produced };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))),
  ]);
}

describe('v2 batches from librdkafka (kcat)', needs('kcat'), () => {
  let server: Server | undefined;
  let kcat: ChildProcess | undefined;

  afterEach(async () => {
    kcat?.kill('SIGKILL');
    if (server) await new Promise((r) => server!.close(r));
    server = kcat = undefined;
  });

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as CompressionName[]) {
    it(`decodes kcat -z ${codec}`, async () => {
      const broker = fakeBroker('t');
      server = broker.server;
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      kcat = spawn(
        'kcat',
        [
          '-P',
          '-b',
          `127.0.0.1:${port}`,
          '-t',
          't',
          '-p',
          '0',
          '-z',
          codec,
          '-K',
          ':',
          '-H',
          'h1=v1',
          '-X',
          'linger.ms=10000',
          '-X',
          'batch.num.messages=50',
        ],
        { stdio: ['pipe', 'ignore', 'ignore'] },
      );
      const values = Array.from({ length: 50 }, (_, i) => `value-${i}-${'x'.repeat(i * 20)}`);
      kcat.stdin!.end(values.map((v, i) => `key${i}:${v}\n`).join(''));
      const bytes = await withTimeout(broker.produced, 15_000, 'the Produce request');
      const batch = decodeBatch(bytes, { maxDecompressedBytes: 1 << 20 });
      expect(batch.compression).toBe(codec);
      expect(batch.records.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual(values.map((v, i) => [`key${i}`, v]));
      expect(batch.records[0]!.headers.map((h) => [h.key, h.value?.toString()])).toEqual([['h1', 'v1']]);
    });
  }
});
