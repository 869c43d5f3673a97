import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { type BrokerProcess, startBrokerProcess } from '../../helpers/broker-process.js';
import { runKts } from '../../helpers/kts.js';
import { mountTmpfs, type Tmpfs } from '../../helpers/tmpfs.js';

const openDescriptors = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

async function createTopic(conn: RawKafkaConnection, name: string, numPartitions: number) {
  const response = await conn.request(ApiKey.CreateTopics, 7, {
    timeoutMs: 30_000,
    validateOnly: false,
    topics: [{ name, numPartitions, replicationFactor: 1, assignments: [], configs: [] }],
  });
  return response.topics[0]!;
}

describe('more partitions than the process may open files', () => {
  const LIMIT = 256;
  let root: string;
  let broker: BrokerProcess | undefined;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kts-many-partitions-'));
  });

  afterAll(async () => {
    await broker?.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it(`creates, writes and reloads 1,000 partitions under ulimit -n ${LIMIT}`, async () => {
    const logDir = join(root, 'data');
    broker = await startBrokerProcess(logDir, { openFileLimit: LIMIT });
    for (const topic of ['wide-a', 'wide-b']) {
      const r = await runKts([
        'topics',
        '--bootstrap-server',
        `127.0.0.1:${broker.port}`,
        '--create',
        '--topic',
        topic,
        '--partitions',
        '500',
      ]);
      expect(r.stderr).toBe('');
    }
    const conn = await RawKafkaConnection.open('127.0.0.1', broker.port);
    try {
      for (const name of ['wide-a', 'wide-b']) {
        const partitionData = Array.from({ length: 500 }, (_, index) => ({
          index,
          records: encodeBatch({ records: [{ value: Buffer.from(`${name}/${index}`) }] }),
        }));
        const response = await conn.request(ApiKey.Produce, 9, {
          ...defaultProduceRequest(),
          acks: 1,
          timeoutMs: 30_000,
          topicData: [{ name, partitionData }],
        });
        expect(response.responses[0]!.partitionResponses.filter((p) => p.errorCode !== 0)).toEqual([]);
      }
    } finally {
      conn.close();
    }
    // Segment files stay open only up to half the limit; indexes keep none.
    expect(openDescriptors(broker.pid)).toBeLessThanOrEqual(LIMIT / 2 + 40);

    await broker.kill('SIGTERM');
    broker = await startBrokerProcess(logDir, { openFileLimit: LIMIT });
    const offsets = await runKts(['get-offsets', '--bootstrap-server', `127.0.0.1:${broker.port}`, '--topic', 'wide-b']);
    expect(offsets.stdout.trim().split('\n').sort()).toEqual(Array.from({ length: 500 }, (_, p) => `wide-b:${p}:1`).sort());
    expect(broker.output().stderr).toBe('');
  }, 120_000);
});

describe('running out of descriptors', () => {
  const LIMIT = 64;
  let root: string;
  let broker: BrokerProcess | undefined;
  const sockets: Socket[] = [];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kts-emfile-'));
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await broker?.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('is one clear error naming the limit, and nothing half made; the broker goes on', async () => {
    broker = await startBrokerProcess(join(root, 'data'), { openFileLimit: LIMIT });
    const admin = await RawKafkaConnection.open('127.0.0.1', broker.port);
    try {
      // Idle connections until the broker has no descriptor left for one more (libuv then closes it at once).
      for (let refusedOne = false; !refusedOne; ) {
        const socket = tcpConnect({ host: '127.0.0.1', port: broker.port });
        socket.on('error', () => {});
        sockets.push(socket);
        await new Promise((resolve) => socket.once('connect', resolve));
        refusedOne = await new Promise((resolve) => {
          const timer = setTimeout(() => resolve(false), 50);
          socket.once('close', () => (clearTimeout(timer), resolve(true)));
        });
        if (sockets.length > LIMIT * 2) throw new Error('the broker accepted more connections than it may have descriptors');
      }
      const refused = await createTopic(admin, 'squeezed', 20);
      expect(refused.errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
      expect(refused.errorMessage).toMatch(
        new RegExp(
          `^Error while [^:]+: open .*: EMFILE \\(too many open files: the process may have ${LIMIT} open at once; raise it with ulimit -n\\)$`,
        ),
      );
      expect(readdirSync(join(root, 'data')).filter((d) => d.startsWith('squeezed'))).toEqual([]);
      const metadataFile = join(root, 'data', 'kts-metadata.json');
      if (existsSync(metadataFile)) expect(JSON.parse(readFileSync(metadataFile, 'utf8')).topics).toEqual([]);

      for (const s of sockets.splice(0)) s.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await createTopic(admin, 'squeezed', 20)).errorCode).toBe(ErrorCode.NONE);
      expect(readdirSync(join(root, 'data')).filter((d) => d.startsWith('squeezed'))).toHaveLength(20);
    } finally {
      admin.close();
    }
  }, 60_000);
});

describe('a topic that cannot be created whole', () => {
  let disk: Tmpfs | string;
  let healthy: string;
  let broker: StartedBroker | undefined;

  beforeAll(() => {
    // Room for 200 files and directories only: a few dozen partitions.
    disk = mountTmpfs('size=64m,nr_inodes=200');
    healthy = mkdtempSync(join(tmpdir(), 'kts-healthy-'));
  });

  afterAll(async () => {
    await broker?.stop();
    if (typeof disk !== 'string') disk.unmount();
    rmSync(healthy, { recursive: true, force: true });
  });

  it('leaves nothing behind in any log dir, and can be created again in the dirs left', async (ctx) => {
    if (typeof disk === 'string') return ctx.skip(disk);
    const small = join(disk.path, 'small');
    broker = await startBroker({ logDir: healthy, config: { 'log.dirs': `${healthy},${small}` }, log: () => {} });
    const conn = await RawKafkaConnection.open(broker.host, broker.port);
    try {
      const refused = await createTopic(conn, 'big', 300);
      expect(refused.errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
      // Its directory or its first file (the segment, its indexes, leader-epoch-checkpoint) found the disk full.
      expect(refused.errorMessage).toMatch(
        /^Error while (creating the log|writing the leader-epoch-checkpoint) of big-\d+: \w+ .*: ENOSPC \(no space left on device\)$/,
      );
      for (const dir of [healthy, small]) expect(readdirSync(dir).filter((d) => d.startsWith('big'))).toEqual([]);
      expect(broker.broker.metadata.topic('big')).toBeUndefined();
      expect(JSON.parse(readFileSync(join(healthy, 'kts-metadata.json'), 'utf8')).topics).toEqual([]);

      expect((await createTopic(conn, 'big', 300)).errorCode).toBe(ErrorCode.NONE);
      expect(readdirSync(healthy).filter((d) => d.startsWith('big-'))).toHaveLength(300);
      expect(existsSync(join(small, 'big-1'))).toBe(false);
    } finally {
      conn.close();
    }
  }, 60_000);
});
