import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type BrokerLogLevel, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { FrameSplitter } from '../../../src/protocol/frame-splitter.js';
import { decodeRequest, decodeResponse, encodeRequest } from '../../../src/protocol/framing.js';
import { API_INFO, ApiKey } from '../../../src/protocol/generated/api-info.js';
import type { ApiMessages } from '../../../src/protocol/generated/apis.js';
import { defaultApiVersionsRequest } from '../../../src/protocol/generated/apis/api-versions.js';
import {
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
} from '../../../src/protocol/generated/apis/create-topics.js';
import { defaultDescribeConfigsRequest } from '../../../src/protocol/generated/apis/describe-configs.js';
import { defaultDescribeTopicPartitionsRequest } from '../../../src/protocol/generated/apis/describe-topic-partitions.js';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../../../src/protocol/generated/apis/fetch.js';
import { defaultFindCoordinatorRequest } from '../../../src/protocol/generated/apis/find-coordinator.js';
import { defaultHeartbeatRequest } from '../../../src/protocol/generated/apis/heartbeat.js';
import { defaultIncrementalAlterConfigsRequest } from '../../../src/protocol/generated/apis/incremental-alter-configs.js';
import { defaultInitProducerIdRequest } from '../../../src/protocol/generated/apis/init-producer-id.js';
import { defaultJoinGroupRequest } from '../../../src/protocol/generated/apis/join-group.js';
import {
  defaultListOffsetsRequest,
  defaultListOffsetsRequestListOffsetsPartition,
} from '../../../src/protocol/generated/apis/list-offsets.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { defaultOffsetCommitRequest, defaultOffsetCommitRequestPartition } from '../../../src/protocol/generated/apis/offset-commit.js';
import { defaultOffsetFetchRequest } from '../../../src/protocol/generated/apis/offset-fetch.js';
import { defaultProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import { defaultSyncGroupRequest } from '../../../src/protocol/generated/apis/sync-group.js';
import { BATCH, COMPRESSION, type CompressionName, computeBatchCrc } from '../../../src/protocol/records/batch-header.js';
import { ZERO_UUID } from '../../../src/protocol/primitives/uuid.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { connect, fetchAll, produce } from './helpers.js';

/** FUZZ_SEED=<n> replays a reported failure; FUZZ_BATCHES=<n> soaks longer. */
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const BATCHES = Number(process.env.FUZZ_BATCHES ?? 150);
const CASES_PER_BATCH = 10;
const MAX_REQUEST_BYTES = 1 << 20;
/** A case must be answered or closed within this; legitimately waiting requests (see mayWait) are excused. */
const CASE_BOUND_MS = 5_000;
const SENTINEL_CORRELATION_ID = 0x5e5e5e5e;
const FUZZ_TOPIC = 'fuzz';
const HEALTHY_TOPIC = 'healthy';
/** Seeds' group id; each case gets its own of the same length. */
const GROUP_ID = 'gggg';

interface Seed {
  label: string;
  frame: Buffer;
  /** Where the Produce request's record batch starts in `frame` (mutated batches get their CRC fixed so decompression is reached). */
  batchAt?: number;
}

/** One request at its lowest, middle and highest version (versions the body cannot be written at are skipped). */
function seeds<K extends ApiKey>(apiKey: K, body: (version: number) => ApiMessages[K]['request']): Seed[] {
  const { minVersion, maxVersion, name } = API_INFO[apiKey];
  const versions = [...new Set([minVersion, Math.floor((minVersion + maxVersion) / 2), maxVersion])];
  return versions.flatMap((v) => {
    try {
      return [{ label: `${name} v${v}`, frame: Buffer.concat(encodeRequest(apiKey, v, 7, 'fuzz', body(v))) }];
    } catch {
      return [];
    }
  });
}

function produceSeeds(): Seed[] {
  return (Object.keys(COMPRESSION) as CompressionName[]).flatMap((compression) => {
    const records = encodeBatch({
      compression,
      records: [
        { key: Buffer.from('k'), value: Buffer.from('value '.repeat(20)), headers: [{ key: 'h', value: Buffer.from('v') }] },
        { value: null },
      ],
    });
    return seeds(ApiKey.Produce, () => ({
      ...defaultProduceRequest(),
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: FUZZ_TOPIC, partitionData: [{ index: 0, records }] }],
    })).map((s) => ({ ...s, label: `${s.label} ${compression}`, batchAt: s.frame.indexOf(records) }));
  });
}

/** `topicId`: the fuzz topic's, so versions that name topics by id reach it. */
function allSeeds(topicId: string): Seed[] {
  const fuzzPartition = (i: number) => ({ ...defaultFetchRequestFetchPartition(), partition: i, partitionMaxBytes: 1 << 16 });
  return [
    ...seeds(ApiKey.ApiVersions, () => ({ ...defaultApiVersionsRequest(), clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' })),
    ...seeds(ApiKey.Metadata, () => ({ ...defaultMetadataRequest(), topics: [{ name: FUZZ_TOPIC, topicId }] })),
    ...produceSeeds(),
    ...seeds(ApiKey.Fetch, () => ({
      ...defaultFetchRequest(),
      maxWaitMs: 100,
      minBytes: 1,
      maxBytes: 1 << 16,
      topics: [{ topic: FUZZ_TOPIC, topicId, partitions: [fuzzPartition(0), fuzzPartition(1)] }],
    })),
    ...seeds(ApiKey.ListOffsets, () => ({
      ...defaultListOffsetsRequest(),
      topics: [
        { name: FUZZ_TOPIC, partitions: [{ ...defaultListOffsetsRequestListOffsetsPartition(), partitionIndex: 0, timestamp: -1n }] },
      ],
    })),
    ...seeds(ApiKey.CreateTopics, () => ({
      ...defaultCreateTopicsRequest(),
      timeoutMs: 1000,
      topics: [
        {
          ...defaultCreateTopicsRequestCreatableTopic(),
          name: 'created',
          numPartitions: 2,
          replicationFactor: 1,
          configs: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    })),
    ...seeds(ApiKey.FindCoordinator, () => ({ ...defaultFindCoordinatorRequest(), key: GROUP_ID, coordinatorKeys: [GROUP_ID] })),
    ...seeds(ApiKey.JoinGroup, () => ({
      ...defaultJoinGroupRequest(),
      groupId: GROUP_ID,
      sessionTimeoutMs: 6000,
      rebalanceTimeoutMs: 1000,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from([0, 1, 0, 0, 0, 1, 0, 4, 0x66, 0x75, 0x7a, 0x7a, 0xff, 0xff, 0xff, 0xff]) }],
    })),
    ...seeds(ApiKey.SyncGroup, () => ({
      ...defaultSyncGroupRequest(),
      groupId: GROUP_ID,
      generationId: 1,
      memberId: 'm',
      assignments: [{ memberId: 'm', assignment: Buffer.alloc(12) }],
    })),
    ...seeds(ApiKey.Heartbeat, () => ({ ...defaultHeartbeatRequest(), groupId: GROUP_ID, generationId: 1, memberId: 'm' })),
    ...seeds(ApiKey.OffsetCommit, () => ({
      ...defaultOffsetCommitRequest(),
      groupId: GROUP_ID,
      generationIdOrMemberEpoch: -1,
      topics: [
        {
          name: FUZZ_TOPIC,
          partitions: [{ ...defaultOffsetCommitRequestPartition(), partitionIndex: 0, committedOffset: 1n, committedMetadata: 'm' }],
        },
      ],
    })),
    ...seeds(ApiKey.OffsetFetch, () => ({
      ...defaultOffsetFetchRequest(),
      groupId: GROUP_ID,
      topics: [{ name: FUZZ_TOPIC, partitionIndexes: [0] }],
      groups: [{ groupId: GROUP_ID, memberId: null, memberEpoch: -1, topics: [{ name: FUZZ_TOPIC, partitionIndexes: [0] }] }],
    })),
    ...seeds(ApiKey.DescribeConfigs, () => ({
      ...defaultDescribeConfigsRequest(),
      includeSynonyms: true,
      resources: [
        { resourceType: 2, resourceName: FUZZ_TOPIC, configurationKeys: null },
        { resourceType: 4, resourceName: '0', configurationKeys: ['log.retention.ms'] },
      ],
    })),
    ...seeds(ApiKey.IncrementalAlterConfigs, () => ({
      ...defaultIncrementalAlterConfigsRequest(),
      resources: [{ resourceType: 2, resourceName: FUZZ_TOPIC, configs: [{ name: 'retention.ms', configOperation: 0, value: '3600000' }] }],
    })),
    ...seeds(ApiKey.DescribeTopicPartitions, () => ({
      ...defaultDescribeTopicPartitionsRequest(),
      topics: [{ name: FUZZ_TOPIC }],
      responsePartitionLimit: 1,
      cursor: { topicName: FUZZ_TOPIC, partitionIndex: 1 },
    })),
    ...seeds(ApiKey.InitProducerId, () => ({ ...defaultInitProducerIdRequest(), transactionTimeoutMs: 1000 })),
  ];
}

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'byte'; at: number; value: number }
  | { op: 'int32'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'extend'; bytes: Uint8Array }
  | { op: 'header'; apiKey: number; apiVersion: number };

/** How the mutated body is size-prefixed: its true size, the seed's (stale) size, off by `delta`, or a hostile constant. */
type Prefix = { kind: 'true' } | { kind: 'stale' } | { kind: 'off'; delta: number } | { kind: 'constant'; value: number };

interface WireFrame {
  seed: number;
  mutations: Mutation[];
  fixCrc: boolean;
  prefix: Prefix;
}

const HOSTILE_INT32 = [0x7fffffff, -0x80000000, -1, 0x00ffffff, 0x0fffffff, 0];

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('byte' as const), at: fc.nat(), value: fc.constantFrom(0x00, 0x7f, 0x80, 0xff, 0x01) }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('int32' as const), at: fc.nat(), value: fc.constantFrom(...HOSTILE_INT32) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('header' as const),
      apiKey: fc.integer({ min: -2, max: 90 }),
      apiVersion: fc.integer({ min: -2, max: 20 }),
    }),
  },
);

const prefixArb: fc.Arbitrary<Prefix> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'true' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stale' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('off' as const), delta: fc.integer({ min: -8, max: 8 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('constant' as const), value: fc.constantFrom(...HOSTILE_INT32, MAX_REQUEST_BYTES + 1) }),
  },
);

function wireFrameArb(seedCount: number): fc.Arbitrary<WireFrame> {
  return fc.record({
    seed: fc.nat({ max: seedCount - 1 }),
    mutations: fc.array(mutationArb, { minLength: 0, maxLength: 3 }),
    fixCrc: fc.boolean(),
    prefix: prefixArb,
  });
}

/** A connection's worth of frames: mostly one, sometimes a pipeline. */
function caseArb(seedCount: number): fc.Arbitrary<WireFrame[]> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.array(wireFrameArb(seedCount), { minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.array(wireFrameArb(seedCount), { minLength: 2, maxLength: 4 }) },
  );
}

function mutateBody(seed: Seed, frame: WireFrame, groupId: string): Buffer {
  // The group id becomes unique per case, so no case waits on a member another case left behind.
  let body = renameGroup(seed.frame.subarray(4), groupId);
  const batchAt = seed.batchAt === undefined ? undefined : seed.batchAt - 4;
  for (const m of frame.mutations) {
    switch (m.op) {
      case 'flip':
        if (body.length > 0) body[m.at % body.length]! ^= 1 << m.bit;
        break;
      case 'byte':
        if (body.length > 0) body[m.at % body.length] = m.value;
        break;
      case 'int32':
        if (body.length >= 4) body.writeInt32BE(m.value, m.at % (body.length - 3));
        break;
      case 'truncate':
        body = body.subarray(0, m.at % (body.length + 1));
        break;
      case 'extend':
        body = Buffer.concat([body, m.bytes]);
        break;
      case 'header':
        if (body.length >= 4) {
          body.writeInt16BE(m.apiKey, 0);
          body.writeInt16BE(m.apiVersion, 2);
        }
        break;
    }
  }
  if (frame.fixCrc && batchAt !== undefined && batchAt >= 0 && body.length >= batchAt + BATCH.HEADER_SIZE) {
    const size = BATCH.LOG_OVERHEAD + body.readInt32BE(batchAt + BATCH.LENGTH);
    if (size >= BATCH.HEADER_SIZE && batchAt + size <= body.length)
      body.writeUInt32BE(computeBatchCrc(body, batchAt, size), batchAt + BATCH.CRC);
  }
  return body;
}

/** Replaces every GROUP_ID in `body` with `groupId`, of the same length. */
function renameGroup(body: Buffer, groupId: string): Buffer {
  const copy = Buffer.from(body);
  for (let at = copy.indexOf(GROUP_ID); at >= 0; at = copy.indexOf(GROUP_ID, at + 1)) copy.write(groupId, at, 'latin1');
  return copy;
}

function prefixed(seed: Seed, body: Buffer, prefix: Prefix): Buffer {
  const size = Buffer.alloc(4);
  const stale = seed.frame.readInt32BE(0);
  const value =
    prefix.kind === 'true'
      ? body.length
      : prefix.kind === 'stale'
        ? stale
        : prefix.kind === 'off'
          ? body.length + prefix.delta
          : prefix.value;
  size.writeInt32BE(value | 0);
  return Buffer.concat([size, body]);
}

/** The frames `bytes` holds as the broker will cut them, and whether it ends mid-frame or with a size the broker refuses. */
function splitAsBroker(bytes: Buffer): { frames: Buffer[]; complete: boolean } {
  const splitter = new FrameSplitter(MAX_REQUEST_BYTES);
  try {
    const frames = splitter.push(bytes);
    return { frames, complete: splitter.buffered === 0 };
  } catch {
    return { frames: [], complete: false };
  }
}

/** Requests the broker may rightly hold for longer than CASE_BOUND_MS: long fetch waits and rebalances. */
function mayWait(frames: Buffer[]): boolean {
  return frames.some((f) => {
    try {
      const r = decodeRequest(f);
      if (r.apiKey === ApiKey.Fetch) return r.body.maxWaitMs > 1000;
      if (r.apiKey === ApiKey.JoinGroup) return r.body.rebalanceTimeoutMs > 1000;
      if (r.apiKey === ApiKey.SyncGroup) return true;
      return false;
    } catch {
      return false;
    }
  });
}

const SENTINEL = Buffer.concat(encodeRequest(ApiKey.ApiVersions, 0, SENTINEL_CORRELATION_ID, 'sentinel', defaultApiVersionsRequest()));

type Outcome = 'answered' | 'closed' | 'waiting';

/**
 * Writes `bytes` on a fresh connection. When they end on a frame boundary, a trailing ApiVersions
 * (the sentinel) must be answered, well-framed, after everything before it, or the connection
 * closed; otherwise (the broker is waiting for the rest of a frame) the client half-closes and the
 * broker must close too.
 */
function runCase(broker: StartedBroker, bytes: Buffer, complete: boolean): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const responses = new FrameSplitter(64 << 20);
    let settled = false;
    const settle = (outcome: Outcome | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => settle('waiting'), CASE_BOUND_MS);
    const socket = tcpConnect({ host: broker.host, port: broker.port }, () => {
      socket.write(complete ? Buffer.concat([bytes, SENTINEL]) : bytes);
      if (!complete) socket.end();
    });
    socket.on('data', (data: Buffer) => {
      try {
        for (const frame of responses.push(data)) {
          if (frame.length < 4) throw new Error(`response frame of ${frame.length} bytes`);
          if (frame.readInt32BE(0) !== SENTINEL_CORRELATION_ID) continue;
          const answer = decodeResponse(ApiKey.ApiVersions, 0, frame).body;
          if (answer.errorCode !== 0) throw new Error(`sentinel ApiVersions answered with error ${answer.errorCode}`);
          settle('answered');
        }
      } catch (err) {
        settle(new Error(`malformed response stream: ${(err as Error).message}`));
      }
    });
    socket.on('error', () => settle('closed'));
    socket.on('close', () => settle('closed'));
  });
}

describe('broker under seeded hostile wire input', () => {
  let broker: StartedBroker;
  let healthy: RawKafkaConnection;
  const unexpectedLog: string[] = [];
  let groupCounter = 0;

  beforeAll(async () => {
    broker = await startBroker({
      config: { 'socket.request.max.bytes': String(MAX_REQUEST_BYTES), 'auto.create.topics.enable': 'true', 'num.partitions': '2' },
      log: (level: BrokerLogLevel, message: string) => {
        // Closing a hostile connection is logged at info level; a handler that threw, at error level.
        if (level !== 'info') unexpectedLog.push(`${level}: ${message}`);
      },
    });
    healthy = await connect(broker);
    for (const name of [FUZZ_TOPIC, HEALTHY_TOPIC]) {
      const created = await healthy.request(ApiKey.CreateTopics, 7, {
        ...defaultCreateTopicsRequest(),
        topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name, numPartitions: 2, replicationFactor: 1 }],
      });
      expect(created.topics[0]!.errorCode).toBe(0);
    }
  });

  afterAll(async () => {
    healthy?.close();
    await broker?.stop();
  });

  async function assertHealthy(): Promise<void> {
    const fresh = await connect(broker);
    try {
      const metadata = await fresh.request(ApiKey.Metadata, 12, { ...defaultMetadataRequest(), topics: null });
      expect(metadata.brokers).toHaveLength(1);
    } finally {
      fresh.close();
    }
    const value = randomBytes(64);
    const produced = await produce(healthy, HEALTHY_TOPIC, 1, { records: [{ key: Buffer.from('h'), value }] });
    expect(produced.errorCode).toBe(0);
    const [record] = await fetchAll(healthy, HEALTHY_TOPIC, 1, produced.baseOffset);
    expect(record?.offset).toBe(produced.baseOffset);
    expect(record?.value?.equals(value)).toBe(true);
    expect(unexpectedLog).toEqual([]);
  }

  it(`survives ${BATCHES} batches of ${CASES_PER_BATCH} mutated connections (seed ${SEED})`, async () => {
    const metadata = await healthy.request(ApiKey.Metadata, 12, {
      ...defaultMetadataRequest(),
      topics: [{ name: FUZZ_TOPIC, topicId: ZERO_UUID }],
    });
    const pool = allSeeds(metadata.topics[0]!.topicId);
    expect(pool.length).toBeGreaterThan(40);
    const outcomes: Record<Outcome, number> = { answered: 0, closed: 0, waiting: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb(pool.length), { minLength: CASES_PER_BATCH, maxLength: CASES_PER_BATCH }), async (cases) => {
        await Promise.all(
          cases.map(async (frames) => {
            const groupId = (groupCounter++).toString(36).padStart(GROUP_ID.length, '0');
            const bytes = Buffer.concat(frames.map((f) => prefixed(pool[f.seed]!, mutateBody(pool[f.seed]!, f, groupId), f.prefix)));
            const split = splitAsBroker(bytes);
            const outcome = await runCase(broker, bytes, split.complete);
            outcomes[outcome]++;
            if (outcome === 'waiting' && !(split.complete && mayWait(split.frames))) {
              throw new Error(
                `no answer and no close within ${CASE_BOUND_MS} ms for ${frames.map((f) => pool[f.seed]!.label).join(' + ')}: ${bytes.toString('hex')}`,
              );
            }
          }),
        );
        await assertHealthy();
      }),
      { seed: SEED, numRuns: BATCHES, endOnFailure: true },
    );
    // Both paths must be exercised, or the mutations are too weak (or too strong) to test anything.
    expect(outcomes.answered).toBeGreaterThan(BATCHES);
    expect(outcomes.closed).toBeGreaterThan(BATCHES);
  }, 60_000);
});
