// Many partitions on one broker (`kts server-start` in its own process, `ulimit -n 20000`): TOPICS
// topics × 1000 partitions created, then SEGMENTS produce rounds that each roll every partition to
// a new segment (segment.bytes=1100, ~1.07 KB batches). Reported: time to create, open descriptors
// and RSS right after the writing and at rest (background flushes done, 35 s idle), then start-up
// after a clean stop and after kill -9
// (spawn → accepting connections, logs loaded before the listener opens), with descriptors and RSS
// 1 s after each.
//
// The peer is the same broker built from another checkout (PEER=/path/to/checkout, default
// ../../main when present), run the same way: before, it held three descriptors per partition plus
// one per segment.
//
// TOPICS=10 SEGMENTS=5 (10,000 partitions, 50,000 segments) by default.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from './lib/mock-cluster.mjs';
import { startKtsBroker } from './lib/kts-broker.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { RawKafkaConnection } = await import(join(root, 'dist/client/raw-connection.js'));
const { ApiKey } = await import(join(root, 'dist/protocol/generated/api-info.js'));
const { encodeBatch } = await import(join(root, 'dist/protocol/records/record-batch.js'));

const TOPICS = Number(process.env.TOPICS ?? 10);
const SEGMENTS = Number(process.env.SEGMENTS ?? 5);
const PARTITIONS = 1000;
const OPEN_FILES = 20_000;
const peerRoot = resolve(process.env.PEER ?? join(root, '../../main'));

function stats(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { fds: readdirSync(`/proc/${pid}/fd`).length, rssMb: Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024 };
}

/** Whether the recovery-point checkpoint shows every partition flushed up to its active segment. */
function allFlushed(logDir) {
  let text;
  try {
    text = readFileSync(join(logDir, 'recovery-point-offset-checkpoint'), 'utf8');
  } catch {
    return false;
  }
  const points = new Map(
    text
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((line) => {
        const [topic, partition, offset] = line.split(' ');
        return [`${topic}-${partition}`, Number(offset)];
      }),
  );
  for (const dir of readdirSync(logDir)) {
    if (!/^t\d+-\d+$/.test(dir)) continue;
    const last = readdirSync(join(logDir, dir))
      .filter((f) => f.endsWith('.log'))
      .sort()
      .at(-1);
    if ((points.get(dir) ?? -1) < Number(last.slice(0, 20))) return false;
  }
  return true;
}

async function run(label, checkout) {
  const logDir = mkdtempSync(join(tmpdir(), 'kts-bench-partitions-'));
  const cache = mkdtempSync(join(tmpdir(), 'kts-bench-cache-'));
  const rows = [];
  let broker;
  try {
    broker = await startKtsBroker(checkout, { logDir, cacheHome: cache, openFiles: OPEN_FILES });
    const conn = await RawKafkaConnection.open('127.0.0.1', broker.port);
    const t0 = performance.now();
    let created = 0;
    for (let t = 0; t < TOPICS; t++) {
      const response = await conn.request(ApiKey.CreateTopics, 7, {
        timeoutMs: 600_000,
        validateOnly: false,
        topics: [
          {
            name: `t${t}`,
            numPartitions: PARTITIONS,
            replicationFactor: 1,
            assignments: [],
            configs: [{ name: 'segment.bytes', value: '1100' }],
          },
        ],
      });
      const topic = response.topics[0];
      if (topic.errorCode !== 0) {
        rows.push([label, `creating topic ${t + 1} of ${TOPICS} failed after ${created} partitions: ${topic.errorMessage}`]);
        conn.close();
        return rows;
      }
      created += PARTITIONS;
    }
    const createMs = performance.now() - t0;
    const value = Buffer.alloc(1000, 120);
    for (let round = 0; round < SEGMENTS; round++) {
      for (let t = 0; t < TOPICS; t++) {
        const partitionData = Array.from({ length: PARTITIONS }, (_, index) => ({ index, records: encodeBatch({ records: [{ value }] }) }));
        const response = await conn.request(ApiKey.Produce, 9, {
          transactionalId: null,
          acks: 1,
          timeoutMs: 60_000,
          topicData: [{ name: `t${t}`, partitionData }],
        });
        const failed = response.responses[0].partitionResponses.filter((p) => p.errorCode !== 0);
        if (failed.length > 0) throw new Error(`${failed.length} partitions failed to append: error ${failed[0].errorCode}`);
      }
    }
    conn.close();
    const segments = readdirSync(logDir).reduce(
      (n, d) => n + (d.startsWith('t') ? readdirSync(join(logDir, d)).filter((f) => f.endsWith('.log')).length : 0),
      0,
    );
    rows.push([
      label,
      `${created} partitions created in ${(createMs / 1000).toFixed(1)} s, ${segments} segments written`,
      stats(broker.child.pid),
    ]);
    // At rest: the rolled segments flushed in the background (the recovery-point checkpoint says
    // so), then 35 s without traffic (descriptors unused for 30 s are closed, V8 has collected).
    const t1 = performance.now();
    while (!allFlushed(logDir) && performance.now() - t1 < 300_000) await new Promise((r) => setTimeout(r, 1000));
    const flushedMs = performance.now() - t1;
    await new Promise((r) => setTimeout(r, 35_000));
    rows.push([
      label,
      `at rest: ${(flushedMs / 1000).toFixed(0)} s until every rolled segment was flushed, then 35 s idle`,
      stats(broker.child.pid),
    ]);

    await stopChild(broker.child);
    broker = await startKtsBroker(checkout, { logDir, cacheHome: cache, openFiles: OPEN_FILES });
    await new Promise((r) => setTimeout(r, 1000));
    rows.push([label, `start-up after a clean stop: ${broker.ms.toFixed(0)} ms`, stats(broker.child.pid)]);

    broker.child.kill('SIGKILL');
    await new Promise((r) => broker.child.once('exit', r));
    broker = await startKtsBroker(checkout, { logDir, cacheHome: cache, openFiles: OPEN_FILES });
    await new Promise((r) => setTimeout(r, 1000));
    rows.push([label, `start-up after kill -9 (recovery): ${broker.ms.toFixed(0)} ms`, stats(broker.child.pid)]);
    return rows;
  } catch (err) {
    rows.push([label, `failed: ${err.message}`]);
    return rows;
  } finally {
    if (broker) await stopChild(broker.child);
    rmSync(logDir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

const builds = [['this checkout', root]];
if (existsSync(join(peerRoot, 'dist/bundle')) && peerRoot !== resolve(root)) builds.push([`peer (${peerRoot})`, peerRoot]);

console.log(`${TOPICS} topics × ${PARTITIONS} partitions, ${SEGMENTS} produce rounds, ulimit -n ${OPEN_FILES}`);
console.log('| broker | step | open descriptors | RSS |');
console.log('|---|---|---:|---:|');
for (const [label, checkout] of builds) {
  for (const [who, step, s] of await run(label, checkout)) {
    console.log(`| ${who} | ${step} | ${s ? s.fds : ''} | ${s ? `${s.rssMb.toFixed(0)} MB` : ''} |`);
  }
}
