import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultDescribeLogDirsRequest } from '../../../src/protocol/generated/apis/describe-log-dirs.js';
import { defaultMetadataRequest, defaultMetadataRequestTopic } from '../../../src/protocol/generated/apis/metadata.js';
import { type BrokerProcess, startBrokerProcess } from '../../helpers/broker-process.js';
import { runKts } from '../../helpers/kts.js';
import { runProcess } from '../../helpers/process.js';
import { needs, PYTHON } from '../../helpers/requirements.js';
import { fillUp, mountTmpfs, type Tmpfs } from '../../helpers/tmpfs.js';
import { produce } from '../broker/helpers.js';

const DISK = `size=${4 << 20}`;

/** Files anywhere under `dir` whose name ends in `.tmp`. */
function tmpFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp'));
}

/** confluent-kafka producing 100 KB messages with no retries until one fails; prints the error's name and how many were acknowledged. */
const FILL_WITH_CONFLUENT = `
import json, sys
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'retries': 0, 'linger.ms': 0, 'message.timeout.ms': 10000})
state = {'ok': 0, 'error': None}
def report(err, msg):
    if err is None: state['ok'] += 1
    elif state['error'] is None: state['error'] = err.name()
for i in range(400):
    p.produce(sys.argv[2], value=b'x' * 100000, partition=int(sys.argv[3]), on_delivery=report)
    p.flush(10)
    if state['error']: break
print(json.dumps(state))
`;

async function fillWithConfluent(bootstrap: string, topic: string, partition: number): Promise<{ ok: number; error: string | null }> {
  const run = await runProcess(PYTHON, ['-c', FILL_WITH_CONFLUENT, bootstrap, topic, String(partition)], { timeoutMs: 60_000 });
  expect(run.stderr).not.toContain('Traceback');
  return JSON.parse(run.stdout.toString());
}

describe('a full disk under a broker process with one log dir', needs('confluent-kafka'), () => {
  let disk: Tmpfs | string;
  let broker: BrokerProcess | undefined;

  beforeEach(() => {
    disk = mountTmpfs(DISK);
  });

  afterEach(async () => {
    await broker?.kill('SIGKILL');
    if (typeof disk !== 'string') disk.unmount();
  });

  it('answers KAFKA_STORAGE_ERROR, names the file and the operation, takes the dir offline and stops with one line', async (ctx) => {
    if (typeof disk === 'string') return ctx.skip(disk);
    const logDir = join(disk.path, 'one');
    broker = await startBrokerProcess(logDir);
    const created = await runKts(['topics', '--bootstrap-server', `127.0.0.1:${broker.port}`, '--create', '--topic', 'fill']);
    expect(created.stderr).toBe('');

    const filled = await fillWithConfluent(`127.0.0.1:${broker.port}`, 'fill', 0);
    expect(filled.error).toBe('KAFKA_STORAGE_ERROR');
    expect(filled.ok).toBeGreaterThan(10);
    expect(await broker.exited).toBe(1);

    const lines = broker.output().stderr.trim().split('\n');
    const segment = join(logDir, 'fill-0', '00000000000000000000.log');
    expect(lines.map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual([
      `ERROR Error while appending to fill-0: write ${segment}: ENOSPC (no space left on device)`,
      `WARN Stopping serving replicas in dir ${logDir}`,
      `ERROR Shutdown broker because all log dirs in ${logDir} have failed`,
    ]);
    expect(tmpFiles(logDir)).toEqual([]);
  }, 90_000);

  it('answers auto-creating a topic with KAFKA_STORAGE_ERROR, keeps the metadata as it was and leaves no .tmp file', async (ctx) => {
    if (typeof disk === 'string') return ctx.skip(disk);
    const logDir = join(disk.path, 'auto');
    // The periodic high-watermark checkpoint would fail on the full disk and stop the broker (as Kafka's
    // does) before a slow machine gets through the steps below; the stop at the end writes it.
    broker = await startBrokerProcess(logDir, { overrides: { 'replica.high.watermark.checkpoint.interval.ms': '600000' } });
    const metadataFile = join(logDir, 'kts-metadata.json');
    const created = await runKts(['topics', '--bootstrap-server', `127.0.0.1:${broker.port}`, '--create', '--topic', 'first']);
    expect(created.stderr).toBe('');
    const before = readFileSync(metadataFile, 'utf8');
    fillUp(join(disk.path, 'filler'));

    const listed = await runProcess(
      PYTHON,
      [
        '-c',
        `
import sys
from confluent_kafka import Producer
t = Producer({'bootstrap.servers': sys.argv[1]}).list_topics('fresh', timeout=10).topics['fresh']
print(t.error.name() if t.error else 'NONE')
`,
        `127.0.0.1:${broker.port}`,
      ],
      { timeoutMs: 30_000 },
    );
    expect(listed.stdout.toString().trim()).toBe('KAFKA_STORAGE_ERROR');
    expect(readFileSync(metadataFile, 'utf8')).toBe(before);
    expect(tmpFiles(logDir)).toEqual([]);
    // CreateTopics has room for the message: the operation, the file and the reason.
    const create = await runKts(['topics', '--bootstrap-server', `127.0.0.1:${broker.port}`, '--create', '--topic', 'other']);
    expect(create.code).toBe(1);
    expect(create.stderr).toContain(`Error while writing the topic metadata: write ${metadataFile}.tmp: ENOSPC (no space left on device)`);
    expect(tmpFiles(logDir)).toEqual([]);
    // The broker is still up for what needs no space.
    const topics = await runKts(['topics', '--bootstrap-server', `127.0.0.1:${broker.port}`, '--list']);
    expect(topics).toMatchObject({ code: 0, stdout: 'first\n' });

    // A clean stop cannot write its checkpoints (the high watermarks first, as Kafka's shutdown):
    // said so, and no .tmp file left either.
    await broker.kill('SIGTERM');
    const checkpoint = join(logDir, 'replication-offset-checkpoint');
    expect(broker.output().stderr).toContain(
      `ERROR Error while writing replication-offset-checkpoint: write ${checkpoint}.tmp: ENOSPC (no space left on device)`,
    );
    expect(tmpFiles(logDir)).toEqual([]);
  }, 60_000);
});

describe('a full disk under one of two log dirs', needs('confluent-kafka', 'kcat'), () => {
  let disk: Tmpfs | string;
  let other: string;
  let broker: StartedBroker | undefined;
  const errors: string[] = [];

  beforeAll(() => {
    disk = mountTmpfs(DISK);
    other = mkdtempSync(join(tmpdir(), 'kts-healthy-disk-'));
  });

  afterAll(async () => {
    await broker?.stop();
    if (typeof disk !== 'string') disk.unmount();
    rmSync(other, { recursive: true, force: true });
  });

  it('takes only the failing dir offline: its partition answers KAFKA_STORAGE_ERROR and shows offline, the other keeps working', async (ctx) => {
    if (typeof disk === 'string') return ctx.skip(disk);
    const small = join(disk.path, 'small');
    broker = await startBroker({
      logDir: other,
      // The first dir also holds kts-metadata.json: the healthy one.
      config: { 'log.dirs': `${other},${small}` },
      log: (level, message) => {
        if (level !== 'info') errors.push(`${level.toUpperCase()} ${message}`);
      },
    });
    const bootstrap = broker.bootstrapServers;
    const created = await runKts(['topics', '--bootstrap-server', bootstrap, '--create', '--topic', 'split', '--partitions', '2']);
    expect(created.stderr).toBe('');
    // Partition 0 went to the first dir (both held none), partition 1 to the small one.
    expect(readdirSync(small)).toContain('split-1');

    const filled = await fillWithConfluent(bootstrap, 'split', 1);
    expect(filled.error).toBe('KAFKA_STORAGE_ERROR');
    expect(errors).toEqual([
      `ERROR Error while appending to split-1: write ${join(small, 'split-1', '00000000000000000000.log')}: ENOSPC (no space left on device)`,
      `WARN Stopping serving replicas in dir ${small}`,
    ]);

    const kept = await runProcess('kcat', ['-b', bootstrap, '-P', '-t', 'split', '-p', '0'], {
      input: 'still\nserved\n',
      timeoutMs: 30_000,
    });
    expect(kept.code).toBe(0);
    const listing = await runProcess('kcat', ['-b', bootstrap, '-L', '-t', 'split'], { timeoutMs: 30_000 });
    const partitionLines = listing.stdout
      .toString()
      .split('\n')
      .filter((l) => l.includes('partition '))
      .map((l) => l.trim());
    expect(partitionLines).toEqual([
      'partition 0, leader 0, replicas: 0, isrs: 0',
      'partition 1, leader -1, replicas: 0, isrs: 0, Broker: Leader not available',
    ]);

    const conn = await RawKafkaConnection.open(broker.host, broker.port);
    try {
      const answer = await produce(conn, 'split', 1, { records: [{ value: Buffer.from('x') }] });
      expect(answer).toMatchObject({
        errorCode: ErrorCode.KAFKA_STORAGE_ERROR,
        errorMessage: `Partition split-1 is in an offline log directory ${small}`,
      });
      const metadata = await conn.request(ApiKey.Metadata, 12, {
        ...defaultMetadataRequest(),
        topics: [{ ...defaultMetadataRequestTopic(), name: 'split' }],
      });
      expect(metadata.topics[0]!.partitions.map((p) => [p.errorCode, p.leaderId, p.offlineReplicas])).toEqual([
        [ErrorCode.NONE, 0, []],
        [ErrorCode.LEADER_NOT_AVAILABLE, -1, [0]],
      ]);
      const dirs = await conn.request(ApiKey.DescribeLogDirs, 4, { ...defaultDescribeLogDirsRequest(), topics: null });
      expect(dirs.results.map((r) => [r.logDir, r.errorCode])).toEqual([
        [other, ErrorCode.NONE],
        [small, ErrorCode.KAFKA_STORAGE_ERROR],
      ]);
      // New partitions go to the dir that is left.
      const grown = await runKts(['topics', '--bootstrap-server', bootstrap, '--create', '--topic', 'later']);
      expect(grown.stderr).toBe('');
      expect(readdirSync(other)).toContain('later-0');
    } finally {
      conn.close();
    }
    expect(tmpFiles(small)).toEqual([]);
  }, 90_000);
});

describe('a log dir that fails while loading', () => {
  const dirs: string[] = [];
  let broker: StartedBroker | undefined;

  afterAll(async () => {
    await broker?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves its partitions offline rather than empty in another dir (Kafka: no log made for a replica that is not new)', async () => {
    const healthy = mkdtempSync(join(tmpdir(), 'kts-healthy-disk-'));
    const failing = mkdtempSync(join(tmpdir(), 'kts-failing-disk-'));
    dirs.push(healthy, failing);
    const errors: string[] = [];
    const options = {
      logDir: healthy,
      config: { 'log.dirs': `${healthy},${failing}` },
      log: (level: string, message: string) => {
        if (level !== 'info') errors.push(`${level.toUpperCase()} ${message}`);
      },
    };
    broker = await startBroker(options);
    const created = await runKts([
      'topics',
      '--bootstrap-server',
      broker.bootstrapServers,
      '--create',
      '--topic',
      'split',
      '--partitions',
      '2',
    ]);
    expect(created.stderr).toBe('');
    await broker.stop();
    // An I/O error on the next start: the segment cannot be opened.
    const segment = join(failing, 'split-1', '00000000000000000000.log');
    rmSync(segment);
    mkdirSync(segment);

    broker = await startBroker(options);
    expect(errors).toEqual([`ERROR Error while loading log dir ${failing}: open ${segment}: EISDIR (illegal operation on a directory)`]);
    expect(readdirSync(healthy).filter((d) => d.startsWith('split-'))).toEqual(['split-0']);
    const conn = await RawKafkaConnection.open(broker.host, broker.port);
    try {
      expect(await produce(conn, 'split', 1, { records: [{ value: Buffer.from('x') }] })).toMatchObject({
        errorCode: ErrorCode.KAFKA_STORAGE_ERROR,
        errorMessage: `Can not create log for split-1 because log directories ${failing} are offline`,
      });
      expect((await produce(conn, 'split', 0, { records: [{ value: Buffer.from('y') }] })).errorCode).toBe(ErrorCode.NONE);
      const metadata = await conn.request(ApiKey.Metadata, 12, {
        ...defaultMetadataRequest(),
        topics: [{ ...defaultMetadataRequestTopic(), name: 'split' }],
      });
      expect(metadata.topics[0]!.partitions.map((p) => [p.errorCode, p.leaderId, p.offlineReplicas])).toEqual([
        [ErrorCode.NONE, 0, []],
        [ErrorCode.LEADER_NOT_AVAILABLE, -1, [0]],
      ]);
    } finally {
      conn.close();
    }
  }, 60_000);
});
