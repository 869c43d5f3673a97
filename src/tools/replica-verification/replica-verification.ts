import { setTimeout as sleep } from 'node:timers/promises';
import type { VersionedCluster } from '../../client/versioned-cluster.js';
import { withVersionedCluster } from '../../client/versioned-cluster.js';
import { commonVersion } from '../../client/api-versions.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../../protocol/generated/apis/fetch.js';
import { readBatchHeader } from '../../protocol/records/batch-header.js';
import { iterateBatches } from '../../protocol/records/batch-iterator.js';
import { KtsError } from '../../util/errors.js';
import { topicPattern } from '../common/topic-filter.js';
import { fetchOffsets } from '../get-offsets/get-offsets.js';
import type { OffsetSpec } from '../get-offsets/offset-spec.js';
import { topicAndPartitionsFilter } from '../get-offsets/partition-filter.js';

/** FetchRequest.DEBUGGING_CONSUMER_ID: brokers answer it from followers as well as leaders. */
const DEBUGGING_CONSUMER_ID = -2;
const REPLICA_STATE_VERSION = 15;

export interface VerificationOptions {
  readonly brokerList: string;
  /** `--topics-include`: Kafka's include list (a regex; commas for alternatives). */
  readonly topicsInclude: string;
  readonly fetchSize: number;
  readonly maxWaitMs: number;
  /** `--time`: where verification starts (latest by default). */
  readonly time: OffsetSpec;
  readonly reportIntervalMs: number;
  /** Stops the run (the tool otherwise runs until killed, as Kafka's). */
  readonly signal: AbortSignal;
}

/** One replica's answer for a partition: its batches and high watermark. */
interface ReplicaData {
  readonly records: Buffer;
  readonly highWatermark: bigint;
}

/**
 * Kafka's ReplicaVerificationTool: every replica of every matching partition is fetched (as the
 * debugging consumer, so followers answer too) from the same offset, one round at a time; their
 * batches are compared up to each one's high watermark, offset by offset and checksum by checksum,
 * and the offset where all agree moves on. Every `reportIntervalMs` it prints the largest lag between
 * that offset and the high watermark. Offsets that differ end the run (KtsError, exit 1); a
 * different checksum is reported and the run goes on, as Kafka's.
 */
export async function verifyReplicas(options: VerificationOptions, print: (line: string) => void): Promise<void> {
  await withVersionedCluster({ bootstrapServer: options.brokerList }, async (cluster) => {
    const metadata = await cluster.metadata(null);
    const pattern = topicPattern(options.topicsInclude);
    const topics = metadata.topics.filter((t) => t.name !== null && pattern.test(t.name) && t.errorCode === ErrorCode.NONE);
    if (topics.length === 0) {
      throw new KtsError('No topics found. [topics-include] if specified, is either filtering out all topics or there is no topic.');
    }
    const topicIds = new Map(topics.map((t) => [t.name!, t.topicId]));
    const topicNames = new Map(topics.map((t) => [t.topicId, t.name!]));
    const byBroker = new Map<number, string[]>();
    const expected = new Map<string, number>();
    for (const t of topics) {
      for (const p of t.partitions) {
        const key = `${t.name}-${p.partitionIndex}`;
        expected.set(key, p.replicaNodes.length);
        for (const r of p.replicaNodes) byBroker.set(r, [...(byBroker.get(r) ?? []), key]);
      }
    }
    const offsets = await fetchOffsets(cluster, options.time, topicAndPartitionsFilter(options.topicsInclude, undefined), false);
    if (offsets.failures.length > 0)
      throw new KtsError(
        `Error: could not look up the initial offsets of ${offsets.failures.map((f) => `${f.topic}-${f.partition}`).join(',')}`,
      );
    const fetchOffset = new Map(offsets.offsets.map((o) => [`${o.topic}-${o.partition}`, BigInt(o.offset)]));
    const partitionOf = new Map<string, { topic: string; partition: number }>(
      topics.flatMap((t) =>
        t.partitions.map((p) => [`${t.name}-${p.partitionIndex}`, { topic: t.name!, partition: p.partitionIndex }] as const),
      ),
    );

    print(`${javaTimestamp(Date.now())}: verification process is started`);
    let lastReport = Date.now();
    while (!options.signal.aborted) {
      const fetched = new Map<string, Map<number, ReplicaData>>([...expected.keys()].map((k) => [k, new Map()]));
      await Promise.all(
        [...byBroker].map(async ([broker, keys]) => {
          const answers = await fetchFrom(
            cluster,
            metadata.brokers.find((b) => b.nodeId === broker),
            keys,
            options,
            {
              offsetOf: (k) => fetchOffset.get(k) ?? 0n,
              partitionOf: (k) => partitionOf.get(k)!,
              topicIds,
              topicNames,
            },
          );
          for (const key of keys) fetched.get(key)!.set(broker, answers.get(key) ?? { records: Buffer.alloc(0), highWatermark: -1n });
        }),
      );
      if (options.signal.aborted) return;
      // No broker answered (all down, or refusing): wait as a fetch would have, rather than spin.
      if ([...fetched.values()].every((replicas) => [...replicas.values()].every((d) => d.highWatermark < 0n))) {
        await sleep(options.maxWaitMs, undefined, { signal: options.signal }).catch(() => undefined);
      }
      const lag = verifyRound(fetched, fetchOffset, print);
      const now = Date.now();
      if (now - lastReport > options.reportIntervalMs) {
        print(
          `${javaTimestamp(now)}: max lag is ${lag.maxLag} for partition ${lag.partition} at offset ${lag.offset} among ${expected.size} partitions`,
        );
        lastReport = now;
      }
    }
  });
}

/** One Fetch of `keys` from one broker; a broker that does not answer gives nothing this round (Kafka: empty answers). */
async function fetchFrom(
  cluster: VersionedCluster,
  broker: { nodeId: number; host: string; port: number; rack: string | null } | undefined,
  keys: readonly string[],
  options: VerificationOptions,
  lookup: {
    offsetOf(key: string): bigint;
    partitionOf(key: string): { topic: string; partition: number };
    topicIds: ReadonlyMap<string, string>;
    topicNames: ReadonlyMap<string, string>;
  },
): Promise<Map<string, ReplicaData>> {
  const answers = new Map<string, ReplicaData>();
  if (broker === undefined) return answers;
  try {
    const conn = await cluster.connection(broker);
    const topics = new Map<string, ReturnType<typeof defaultFetchRequestFetchPartition>[]>();
    for (const key of keys) {
      const { topic, partition } = lookup.partitionOf(key);
      topics.set(topic, [
        ...(topics.get(topic) ?? []),
        { ...defaultFetchRequestFetchPartition(), partition, fetchOffset: lookup.offsetOf(key), partitionMaxBytes: options.fetchSize },
      ]);
    }
    // The debugging consumer's id goes where the version has it: replica_id, or ReplicaState from v15.
    const replica =
      (commonVersion(conn.versions, ApiKey.Fetch) ?? 0) >= REPLICA_STATE_VERSION
        ? { replicaState: { replicaId: DEBUGGING_CONSUMER_ID, replicaEpoch: -1n } }
        : { replicaId: DEBUGGING_CONSUMER_ID };
    const response = await conn.request(ApiKey.Fetch, {
      ...defaultFetchRequest(),
      ...replica,
      maxWaitMs: options.maxWaitMs,
      minBytes: 1,
      topics: [...topics].map(([topic, partitions]) => ({ topic, topicId: lookup.topicIds.get(topic)!, partitions })),
    });
    for (const t of response.responses) {
      const name = t.topic || lookup.topicNames.get(t.topicId) || '';
      for (const p of t.partitions) {
        if (p.errorCode === ErrorCode.NONE)
          answers.set(`${name}-${p.partitionIndex}`, { records: p.records ?? Buffer.alloc(0), highWatermark: p.highWatermark });
      }
    }
  } catch {
    // Kafka's fetcher also records nothing for a broker that is down; its partitions wait for it.
  }
  return answers;
}

/** Kafka's ReplicaBuffer.verifyCheckSum: moves each partition's offset past the batches all replicas agree on; returns the largest lag. */
function verifyRound(
  fetched: ReadonlyMap<string, ReadonlyMap<number, ReplicaData>>,
  fetchOffset: Map<string, bigint>,
  print: (line: string) => void,
): { maxLag: bigint; partition: string | null; offset: bigint } {
  let result = { maxLag: -1n, partition: null as string | null, offset: -1n };
  for (const [key, replicas] of fetched) {
    const iterators = [...replicas].map(([id, data]) => ({ id, hw: data.highWatermark, batches: iterateBatches(data.records) }));
    const maxHw = [...replicas.values()].reduce((max, d) => (d.highWatermark > max ? d.highWatermark : max), -1n);
    for (let allHave = true; allHave; ) {
      let first: { id: number; lastOffset: bigint; crc: number } | undefined;
      for (const replica of iterators) {
        const next = replica.batches.next();
        if (next.done) {
          allHave = false;
          continue;
        }
        const header = readBatchHeader(next.value);
        const lastOffset = header.baseOffset + BigInt(header.lastOffsetDelta);
        if (lastOffset >= replica.hw) {
          allHave = false;
          continue;
        }
        if (first === undefined) first = { id: replica.id, lastOffset, crc: header.crc };
        else if (first.lastOffset !== lastOffset) {
          const line = `${javaTimestamp(Date.now())}: partition ${key}: replica ${first.id}'s offset ${first.lastOffset} doesn't match replica ${replica.id}'s offset ${lastOffset}`;
          print(line);
          throw new KtsError(`Error: replicas of ${key} differ at offset ${first.lastOffset}`);
        } else if (first.crc !== header.crc) {
          print(
            `${javaTimestamp(Date.now())}: partition ${key} has unmatched checksum at offset ${lastOffset}; replica ${first.id}'s checksum ${first.crc}; replica ${replica.id}'s checksum ${header.crc}`,
          );
        }
      }
      if (allHave && first !== undefined) fetchOffset.set(key, first.lastOffset + 1n);
      if (first === undefined) allHave = false;
    }
    const offset = fetchOffset.get(key) ?? 0n;
    if (maxHw - offset > result.maxLag) result = { maxLag: maxHw - offset, partition: key, offset };
  }
  return result;
}

/** SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS") in the local zone. */
function javaTimestamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}
