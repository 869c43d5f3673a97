// What hostile Produce requests cost everyone else: a broker (`kts server-start`, its own process)
// is sent decompression bombs on one connection while a second connection sends a Metadata request
// every 5 ms; reported per case are the attacker's wait for its answers, the Metadata latencies
// meanwhile (the goal: under 100 ms) and the broker's RSS before and 3 s after.
//
// The peer is the same broker built from another checkout (PEER=/path/to/checkout, default
// ../../main when present): the code before the produce path checked records in slices.
//
// Cases (the issue's):
//  - zstd ×200: one 1.9 MB Produce naming one partition 200 times, each a ~10 KB zstd batch of
//    300 MiB of zeros
//  - gzip ×40: one Produce of 40 partitions, each a gzip batch of ~300 MiB of zeros (~12 MB in all)
//  - valid ×8: 8 pipelined Produce requests, each one zstd batch of 48 well-formed 1 MB records
//    of zeros (nothing stops their checks early: they are accepted)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from './lib/mock-cluster.mjs';
import { startKtsBroker } from './lib/kts-broker.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { RawKafkaConnection } = await import(join(root, 'dist/client/raw-connection.js'));
const { ApiKey } = await import(join(root, 'dist/protocol/generated/api-info.js'));
const { defaultMetadataRequest, defaultMetadataRequestTopic } = await import(join(root, 'dist/protocol/generated/apis/metadata.js'));
const { encodeBatch } = await import(join(root, 'dist/protocol/records/record-batch.js'));
const { compress, compressionCode } = await import(join(root, 'dist/protocol/records/compression.js'));
const { BATCH, computeBatchCrc } = await import(join(root, 'dist/protocol/records/batch-header.js'));

const peerRoot = resolve(process.env.PEER ?? join(root, '../../main'));
const MIB = 1 << 20;

/** A `codec` batch claiming `count` records whose bytes are `raw` (compressed): only the records are wrong. */
function craftedBatch(codec, raw, count) {
  const plain = encodeBatch({ records: [{ key: null, value: Buffer.from('x'), timestamp: BigInt(Date.now()) }] });
  const b = Buffer.concat([plain.subarray(0, BATCH.HEADER_SIZE), compress(codec, raw)]);
  b.writeInt32BE(b.length - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  b.writeInt16BE(compressionCode(codec), BATCH.ATTRIBUTES);
  b.writeInt32BE(count, BATCH.RECORDS_COUNT);
  b.writeInt32BE(count - 1, BATCH.LAST_OFFSET_DELTA);
  b.writeUInt32BE(computeBatchCrc(b, 0, b.length), BATCH.CRC);
  return b;
}

const zeros300 = Buffer.alloc(300 * MIB);
const zstdBomb = craftedBatch('zstd', zeros300, 300);
const gzipBomb = craftedBatch('gzip', zeros300, 300);
const mb = Buffer.alloc(1_000_000);
const validBomb = encodeBatch({
  compression: 'zstd',
  records: Array.from({ length: 48 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: mb, timestamp: BigInt(Date.now()) })),
});

const produce = (topicData) => ({ transactionalId: null, acks: 1, timeoutMs: 30_000, topicData });
const CASES = [
  {
    name: `zstd ×200 (${((zstdBomb.length * 200) / 1e6).toFixed(1)} MB request)`,
    requests: () => [produce([{ name: 'bombs', partitionData: Array.from({ length: 200 }, () => ({ index: 0, records: zstdBomb })) }])],
  },
  {
    name: `gzip ×40 (${((gzipBomb.length * 40) / 1e6).toFixed(1)} MB request)`,
    requests: () => [produce([{ name: 'bombs', partitionData: Array.from({ length: 40 }, (_, index) => ({ index, records: gzipBomb })) }])],
  },
  {
    name: `valid ×8 (${(validBomb.length / 1e3).toFixed(1)} kB each, 48 MB of records)`,
    requests: () => Array.from({ length: 8 }, () => produce([{ name: 'bombs', partitionData: [{ index: 0, records: validBomb }] }])),
  },
];

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function startBroker(checkout) {
  const logDir = mkdtempSync(join(tmpdir(), 'kts-bench-bombs-'));
  const cacheHome = mkdtempSync(join(tmpdir(), 'kts-bench-cache-'));
  const { child, port, pid } = await startKtsBroker(checkout, { logDir, cacheHome });
  const stop = async () => {
    await stopChild(child);
    rmSync(logDir, { recursive: true, force: true });
    rmSync(cacheHome, { recursive: true, force: true });
  };
  return { port, pid, stop };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function runCase(broker, testCase) {
  const attacker = await RawKafkaConnection.open('127.0.0.1', broker.port, { clientId: 'attacker' });
  const probe = await RawKafkaConnection.open('127.0.0.1', broker.port, { clientId: 'probe' });
  const metadata = {
    ...defaultMetadataRequest(),
    topics: [{ ...defaultMetadataRequestTopic(), name: 'bombs' }],
    allowAutoTopicCreation: false,
  };
  const rssBefore = rssMb(broker.pid);
  const latencies = [];
  let attacking = true;
  const probing = (async () => {
    while (attacking) {
      const t = performance.now();
      await probe.request(ApiKey.Metadata, 12, metadata);
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const t0 = performance.now();
  const answers = await Promise.all(testCase.requests().map((r) => attacker.request(ApiKey.Produce, 9, r)));
  const answeredMs = performance.now() - t0;
  attacking = false;
  await probing;
  attacker.close();
  probe.close();
  await new Promise((r) => setTimeout(r, 3000));
  const codes = [...new Set(answers.flatMap((a) => a.responses.flatMap((t) => t.partitionResponses.map((p) => p.errorCode))))];
  latencies.sort((a, b) => a - b);
  return {
    answeredMs,
    codes,
    probes: latencies.length,
    p50: percentile(latencies, 0.5),
    max: latencies.at(-1),
    rssBefore,
    rssAfter: rssMb(broker.pid),
  };
}

const builds = [['this checkout', root]];
if (existsSync(join(peerRoot, 'dist/bundle')) && peerRoot !== resolve(root)) builds.push([`peer (${peerRoot})`, peerRoot]);

console.log('| case | broker | answered after | error codes | Metadata p50 / max while attacked | RSS before → 3 s after |');
console.log('|---|---|---:|---|---:|---:|');
for (const testCase of CASES) {
  for (const [label, checkout] of builds) {
    const broker = await startBroker(checkout);
    try {
      // The topic, and one ordinary Produce, so start-up allocations are not counted as the attack's.
      const warm = await RawKafkaConnection.open('127.0.0.1', broker.port, { clientId: 'warm' });
      await warm.request(ApiKey.CreateTopics, 7, {
        timeoutMs: 10_000,
        validateOnly: false,
        topics: [{ name: 'bombs', numPartitions: 40, replicationFactor: 1, assignments: [], configs: [] }],
      });
      await warm.request(
        ApiKey.Produce,
        9,
        produce([{ name: 'bombs', partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: Buffer.from('warm') }] }) }] }]),
      );
      warm.close();
      const r = await runCase(broker, testCase);
      console.log(
        `| ${testCase.name} | ${label} | ${r.answeredMs.toFixed(0)} ms | ${r.codes.join(', ')} | ${r.p50.toFixed(1)} / ${r.max.toFixed(1)} ms (${r.probes} probes) | ${r.rssBefore.toFixed(0)} → ${r.rssAfter.toFixed(0)} MB |`,
      );
    } finally {
      await broker.stop();
    }
  }
}
