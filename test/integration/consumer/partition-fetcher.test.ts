import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { FetcherOptions } from '../../../src/client/consumer/consumer-config.js';
import { PartitionFetcher } from '../../../src/client/consumer/partition-fetcher.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import type { DecodedRequest } from '../../../src/protocol/framing.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultFetchResponse, defaultFetchResponsePartitionData } from '../../../src/protocol/generated/apis/fetch.js';
import {
  defaultListOffsetsResponse,
  defaultListOffsetsResponseListOffsetsPartitionResponse,
} from '../../../src/protocol/generated/apis/list-offsets.js';
import {
  defaultMetadataResponse,
  defaultMetadataResponseBroker,
  defaultMetadataResponsePartition,
  defaultMetadataResponseTopic,
} from '../../../src/protocol/generated/apis/metadata.js';
import { ZERO_UUID } from '../../../src/protocol/primitives/uuid.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { freePort } from '../../helpers/free-port.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { connect, produce } from '../broker/helpers.js';
import { startScriptedCluster, type ScriptedCluster } from './scripted-cluster.js';

interface Read {
  partition: number;
  offset: bigint;
  value: string;
}

/** Reads until `count` records came (bounded by the test's timeout), as plain values. */
async function readRecords(fetcher: PartitionFetcher, count: number): Promise<Read[]> {
  const out: Read[] = [];
  while (out.length < count) {
    const fetched = await fetcher.next();
    if (fetched === null) break;
    fetched.read((r) => {
      out.push({ partition: r.partition, offset: BigInt(r.offset), value: r.value?.toString() ?? '' });
      return true;
    });
  }
  return out;
}

const fetchers: PartitionFetcher[] = [];
async function openFetcher(options: FetcherOptions): Promise<PartitionFetcher> {
  const fetcher = await PartitionFetcher.open({ retryBackoffMs: 20, ...options });
  fetchers.push(fetcher);
  return fetcher;
}

afterEach(() => {
  for (const f of fetchers.splice(0)) f.close();
});

describe('partition fetcher against scripted brokers', () => {
  let cluster: ScriptedCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  /** Metadata naming both nodes, with `leader` leading t-0. */
  const metadata = (ports: readonly number[], leader: number) => ({
    ...defaultMetadataResponse(),
    brokers: ports.map((port, nodeId) => ({ ...defaultMetadataResponseBroker(), nodeId, host: '127.0.0.1', port })),
    topics: [
      {
        ...defaultMetadataResponseTopic(),
        name: 't',
        partitions: [
          { ...defaultMetadataResponsePartition(), partitionIndex: 0, leaderId: leader, replicaNodes: [0, 1], isrNodes: [0, 1] },
        ],
      },
    ],
  });
  const earliest = () => ({
    ...defaultListOffsetsResponse(),
    topics: [{ name: 't', partitions: [{ ...defaultListOffsetsResponseListOffsetsPartitionResponse(), partitionIndex: 0, offset: 0n }] }],
  });
  const fetchAnswer = (errorCode: number, records: Buffer | null = null) => ({
    ...defaultFetchResponse(),
    responses: [
      {
        topic: 't',
        topicId: '',
        partitions: [{ ...defaultFetchResponsePartitionData(), partitionIndex: 0, errorCode, highWatermark: 3n, records }],
      },
    ],
  });
  const batch = encodeBatch({ records: ['a', 'b', 'c'].map((v) => ({ value: Buffer.from(v) })) });
  /** Data from offset 0; later fetches wait out maxWaitMs and come back empty, as a broker's do. */
  const serve = async (request: DecodedRequest) => {
    if (request.apiKey !== ApiKey.Fetch) return undefined;
    if (request.body.topics[0]!.partitions[0]!.fetchOffset === 0n) return fetchAnswer(ErrorCode.NONE, batch);
    await new Promise((resolve) => setTimeout(resolve, request.body.maxWaitMs));
    return fetchAnswer(ErrorCode.NONE);
  };

  it('follows a moved leader: NOT_LEADER_OR_FOLLOWER refreshes metadata, then the new leader serves', async () => {
    let leader = 0;
    cluster = await startScriptedCluster(2, async (node, request) => {
      if (request.apiKey === ApiKey.Metadata) return metadata(cluster!.ports, leader);
      if (request.apiKey === ApiKey.ListOffsets) return earliest();
      if (node !== 1) {
        leader = 1;
        return fetchAnswer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      }
      return serve(request);
    });
    const fetcher = await openFetcher({ bootstrap: [{ host: '127.0.0.1', port: cluster.ports[0]! }] });
    fetcher.assign([{ topic: 't', partition: 0 }], { kind: 'earliest' });
    expect(await readRecords(fetcher, 3)).toEqual(['a', 'b', 'c'].map((value, i) => ({ partition: 0, offset: BigInt(i), value })));
    const asked = cluster.log.flatMap((l) =>
      l.apiKey === ApiKey.Metadata ? [`Metadata@${l.node}`] : l.apiKey === ApiKey.Fetch ? [`Fetch@${l.node}`] : [],
    );
    const refused = asked.indexOf('Fetch@0');
    expect(refused).toBeGreaterThanOrEqual(0);
    expect(asked.slice(refused + 1)).toContain('Metadata@0');
    expect(asked.indexOf('Fetch@1')).toBeGreaterThan(asked.indexOf('Metadata@0', refused));
  });

  it('OFFSET_OUT_OF_RANGE with auto.offset.reset=none, and non-retriable errors, end consuming with one line', async () => {
    let answer: number = ErrorCode.OFFSET_OUT_OF_RANGE;
    cluster = await startScriptedCluster(1, async (_node, request) => {
      if (request.apiKey === ApiKey.Metadata) return metadata(cluster!.ports, 0);
      if (request.apiKey === ApiKey.ListOffsets) return earliest();
      return fetchAnswer(answer);
    });
    const bootstrap = [{ host: '127.0.0.1', port: cluster.ports[0]! }];
    const strict = await openFetcher({ bootstrap, autoOffsetReset: 'none' });
    strict.assign([{ topic: 't', partition: 0 }], { kind: 'offset', offset: 7n });
    await expect(strict.next()).rejects.toThrow('Fetch position 7 is out of range for partition t-0');

    answer = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    const denied = await openFetcher({ bootstrap });
    denied.assign([{ topic: 't', partition: 0 }], { kind: 'earliest' });
    await expect(denied.next()).rejects.toThrow('Not authorized to access topics: [t]');
  });

  it('OFFSET_OUT_OF_RANGE with auto.offset.reset=earliest looks the position up again', async () => {
    cluster = await startScriptedCluster(1, async (_node, request) => {
      if (request.apiKey === ApiKey.Metadata) return metadata(cluster!.ports, 0);
      if (request.apiKey === ApiKey.ListOffsets) return earliest();
      if (request.apiKey === ApiKey.Fetch && request.body.topics[0]!.partitions[0]!.fetchOffset === 42n)
        return fetchAnswer(ErrorCode.OFFSET_OUT_OF_RANGE);
      return serve(request);
    });
    const fetcher = await openFetcher({ bootstrap: [{ host: '127.0.0.1', port: cluster.ports[0]! }], autoOffsetReset: 'earliest' });
    fetcher.assign([{ topic: 't', partition: 0 }], { kind: 'offset', offset: 42n });
    expect((await readRecords(fetcher, 3)).map((r) => r.value)).toEqual(['a', 'b', 'c']);
    expect(cluster.log.filter((l) => l.apiKey === ApiKey.ListOffsets)).toHaveLength(1);
  });
});

describe('partition fetcher against the embedded broker behind a proxy', () => {
  let broker: StartedBroker;
  let proxy: TcpProxy;
  let dir: string;
  const PER_PARTITION = 3000;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kts-fetcher-'));
    proxy = await startTcpProxy();
    const port = await freePort();
    broker = await startBroker({
      logDir: join(dir, 'logs'),
      config: {
        listeners: `PLAINTEXT://127.0.0.1:${port}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxy.port}`,
        'num.partitions': '2',
      },
    });
    proxy.forwardTo('127.0.0.1', port);
    const conn = await connect(broker);
    try {
      await conn.request(ApiKey.Metadata, 12, {
        topics: [{ topicId: ZERO_UUID, name: 'cut' }],
        allowAutoTopicCreation: true,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      });
      for (let partition = 0; partition < 2; partition++) {
        for (let base = 0; base < PER_PARTITION; base += 500) {
          const records = Array.from({ length: 500 }, (_, i) => ({ value: Buffer.from(`p${partition}-${base + i}`) }));
          const answer = await produce(conn, 'cut', partition, { records, compression: base % 1000 === 0 ? 'lz4' : 'none' });
          expect(answer.errorCode).toBe(0);
        }
      }
    } finally {
      conn.close();
    }
  });

  afterAll(async () => {
    await proxy?.close();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a connection cut mid-response is retried: every record once, in order', async () => {
    const fetcher = await openFetcher({ bootstrap: [{ host: '127.0.0.1', port: proxy.port }], maxPartitionFetchBytes: 8192 });
    fetcher.assign(
      [0, 1].map((partition) => ({ topic: 'cut', partition })),
      { kind: 'earliest' },
    );
    const first = await readRecords(fetcher, 1);
    const cutsBefore = proxy.cuts;
    proxy.cutAfterServerBytes(3000);
    const rest = await readRecords(fetcher, 2 * PER_PARTITION - first.length);
    expect(proxy.cuts).toBe(cutsBefore + 1);
    const all = [...first, ...rest];
    for (const partition of [0, 1]) {
      expect(all.filter((r) => r.partition === partition).map((r) => r.value)).toEqual(
        Array.from({ length: PER_PARTITION }, (_, i) => `p${partition}-${i}`),
      );
    }
  });

  it('resolves earliest, latest and end offsets, and partition counts', async () => {
    const fetcher = await openFetcher({ bootstrap: [{ host: '127.0.0.1', port: proxy.port }] });
    expect(await fetcher.partitionCounts(['cut'])).toEqual(new Map([['cut', 2]]));
    expect(await fetcher.listTopics()).toContain('cut');
    fetcher.assign([{ topic: 'cut', partition: 0 }], { kind: 'latest' });
    fetcher.assign([{ topic: 'cut', partition: 1 }], { kind: 'timestamp', timestamp: 0n });
    expect(await fetcher.positions()).toEqual([
      { topic: 'cut', partition: 0, offset: BigInt(PER_PARTITION) },
      { topic: 'cut', partition: 1, offset: 0n },
    ]);
    expect(await fetcher.offsets([{ topic: 'cut', partition: 1 }], -1n)).toEqual([
      { topic: 'cut', partition: 1, offset: BigInt(PER_PARTITION) },
    ]);
  });
});
