// Moving a replica between log dirs (AlterReplicaLogDirs) on the embedded broker, against the
// peer `cp -r` of the same partition dir followed by `sync` of the copied files (what the move
// has to do at least: read, write, fsync). 200 MB in one partition, both dirs on the same file
// system, moved back and forth, alternating with the copy. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../dist/broker/index.js';
import { RawKafkaConnection } from '../dist/client/raw-connection.js';
import { ApiKey } from '../dist/protocol/generated/api-info.js';
import { defaultCreateTopicsRequest, defaultCreateTopicsRequestCreatableTopic } from '../dist/protocol/generated/apis/create-topics.js';
import { defaultProduceRequest } from '../dist/protocol/generated/apis/produce.js';
import { encodeBatch } from '../dist/protocol/records/record-batch.js';

const MB = 200;
const ROUNDS = 3;
const root = mkdtempSync(join(tmpdir(), 'kts-bench-logdirs-'));
const dirs = [join(root, 'a'), join(root, 'b')];
const broker = await startBroker({ logDir: root, config: { 'log.dirs': dirs.join(','), 'max.message.bytes': '2000000' }, log: () => {} });
const conn = await RawKafkaConnection.open(broker.host, broker.port);
try {
  await conn.request(ApiKey.CreateTopics, 7, {
    ...defaultCreateTopicsRequest(),
    topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: 'moved', numPartitions: 1, replicationFactor: 1 }],
  });
  // 1 MB a batch, below max.message.bytes.
  const value = Buffer.alloc(1000, 'x');
  for (let i = 0; i < MB; i++) {
    const records = encodeBatch({ records: Array.from({ length: 1000 }, () => ({ value })) });
    const response = await conn.request(ApiKey.Produce, 9, {
      ...defaultProduceRequest(),
      acks: 1,
      timeoutMs: 10_000,
      topicData: [{ name: 'moved', partitionData: [{ index: 0, records }] }],
    });
    const { errorCode, errorMessage } = response.responses[0].partitionResponses[0];
    if (errorCode !== 0) throw new Error(`produce failed: ${errorCode} ${errorMessage}`);
  }
  const where = async () => {
    const r = await conn.request(ApiKey.DescribeLogDirs, 4, { topics: [{ topic: 'moved', partitions: [0] }] });
    return r.results.flatMap((d) => d.topics.flatMap((t) => t.partitions.map((p) => ({ dir: d.logDir, isFuture: p.isFutureKey }))));
  };
  const kts = [];
  const cp = [];
  for (let round = 0; round < ROUNDS; round++) {
    const [current] = await where();
    const target = dirs.find((d) => d !== current.dir);
    let start = performance.now();
    const copy = join(target, 'copy');
    spawnSync('cp', ['-r', join(current.dir, 'moved-0'), copy]);
    spawnSync(
      'sync',
      readdirSync(copy).map((f) => join(copy, f)),
    );
    cp.push(performance.now() - start);
    rmSync(copy, { recursive: true, force: true });

    start = performance.now();
    const answer = await conn.request(ApiKey.AlterReplicaLogDirs, 2, {
      dirs: [{ path: target, topics: [{ name: 'moved', partitions: [0] }] }],
    });
    if (answer.results[0].partitions[0].errorCode !== 0) throw new Error('AlterReplicaLogDirs failed');
    for (;;) {
      const now = await where();
      if (now.length === 1 && now[0].dir === target) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    kts.push(performance.now() - start);
  }
  const line = (name, times) =>
    `${name}: ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')} (best ${(MB / (Math.min(...times) / 1000)).toFixed(0)} MB/s)`;
  console.log(
    `moving a ${MB} MB partition between two log dirs on one file system, load ${(await import('node:os')).loadavg()[0].toFixed(1)}`,
  );
  console.log(line('kts AlterReplicaLogDirs', kts));
  console.log(line('cp -r + sync (peer)', cp));
} finally {
  conn.close();
  await broker.stop();
  rmSync(root, { recursive: true, force: true });
}
