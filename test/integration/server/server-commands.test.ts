import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { runKts } from '../../helpers/kts.js';
import { fetchAll, produce } from '../broker/helpers.js';

/** `kts server-start` / `server-stop` as a user runs them, each test with its own run, log and data dirs. */
describe('kts server-start and server-stop', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kts-server-cli-'));
    dataDir = join(root, 'data');
    env = { KTS_RUN_DIR: join(root, 'run'), LOG_DIR: join(root, 'logs') };
  });

  afterAll(async () => {
    await runKts(['server-stop'], { env });
    rmSync(root, { recursive: true, force: true });
  });

  const startArgs = (...extra: string[]) => [
    'server-start',
    '-daemon',
    '--override',
    'listeners=PLAINTEXT://127.0.0.1:0',
    '--override',
    `log.dirs=${dataDir}`,
    ...extra,
  ];

  async function startDaemon(): Promise<{ pid: number; port: number }> {
    const r = await runKts(startArgs(), { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = /^Started kafka \(pid (\d+), port (\d+)\); output in .*kafkaServer\.out\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    return { pid: Number(m![1]), port: Number(m![2]) };
  }

  async function createTopic(port: number, topic: string): Promise<void> {
    const r = await runKts(['topics', '--bootstrap-server', `127.0.0.1:${port}`, '--create', '--topic', topic], { env });
    expect(r.stdout).toBe(`Created topic ${topic}.\n`);
  }

  it('starts a daemon that accepts clients, stops it gracefully, and keeps the data across a restart', async () => {
    const first = await startDaemon();
    await createTopic(first.port, 'kept');
    let conn = await RawKafkaConnection.open('127.0.0.1', first.port);
    const answer = await produce(conn, 'kept', 0, { records: [{ key: Buffer.from('k'), value: Buffer.from('v1') }] });
    expect(answer.errorCode).toBe(0);
    conn.close();

    const stop = await runKts(['server-stop'], { env });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe(`Stopped kafka (pid ${first.pid}, port ${first.port})\n`);
    // SIGTERM was a graceful shutdown: checkpoints written, the next start skips recovery.
    expect(existsSync(join(dataDir, '.kafka_cleanshutdown'))).toBe(true);
    expect(readFileSync(join(dataDir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n1\nkept 0 1\n');

    const again = await runKts(['server-stop'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('No kafka server to stop\n');

    const second = await startDaemon();
    conn = await RawKafkaConnection.open('127.0.0.1', second.port);
    const records = await fetchAll(conn, 'kept', 0);
    conn.close();
    expect(records.map((r) => r.value?.toString())).toEqual(['v1']);
    expect((await runKts(['server-stop', '--pid', String(second.pid)], { env })).code).toBe(0);
  });

  it('loses no acknowledged message when the broker is killed with SIGKILL mid-write', async () => {
    const { pid, port } = await startDaemon();
    await createTopic(port, 'durable');
    const conn = await RawKafkaConnection.open('127.0.0.1', port);
    // Up to 20 produce requests in flight, so the kill lands in the middle of writes.
    const acked: { i: number; base: bigint }[] = [];
    const inFlight: Promise<boolean>[] = [];
    for (let i = 0; i < 5_000; i++) {
      if (i === 300) process.kill(pid, 'SIGKILL');
      const value = Buffer.from(`m-${i}`);
      inFlight.push(
        produce(conn, 'durable', 0, { records: [{ value }, { value }] }).then(
          (r) => r.errorCode === 0 && acked.push({ i, base: r.baseOffset }) > 0,
          () => false,
        ),
      );
      if (inFlight.length >= 20 && !(await inFlight.shift()!)) break;
    }
    await Promise.all(inFlight);
    conn.close();
    expect(acked.length).toBeGreaterThanOrEqual(280);

    const restarted = await startDaemon();
    const reader = await RawKafkaConnection.open('127.0.0.1', restarted.port);
    const records = await fetchAll(reader, 'durable', 0);
    reader.close();
    expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => BigInt(i)));
    for (const { i, base } of acked) {
      expect(records[Number(base)]?.value?.toString()).toBe(`m-${i}`);
      expect(records[Number(base) + 1]?.value?.toString()).toBe(`m-${i}`);
    }
    await runKts(['server-stop'], { env });
  });

  it('refuses a port in use with one line and exit 1', async () => {
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      const r = await runKts(
        ['server-start', '--override', `listeners=PLAINTEXT://127.0.0.1:${port}`, '--override', `log.dirs=${dataDir}`],
        { env },
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`Error: cannot start the broker: cannot listen on 127.0.0.1:${port} (PLAINTEXT): address already in use\n`);
      // -daemon waits for the broker, and passes on why it could not start.
      const daemon = await runKts(
        ['server-start', '-daemon', '--override', `listeners=PLAINTEXT://127.0.0.1:${port}`, '--override', `log.dirs=${dataDir}`],
        { env },
      );
      expect(daemon.code).toBe(1);
      expect(daemon.stderr).toBe(r.stderr);
    } finally {
      holder.close();
    }
  });

  it('refuses an unusable log dir and a bad property value with one line and exit 1', async () => {
    const logDirs = async (dirs: string) =>
      runKts(['server-start', '--override', 'listeners=PLAINTEXT://127.0.0.1:0', '--override', `log.dirs=${dirs}`], { env });
    const dir = await logDirs('/proc/kts-nope');
    expect(dir.code).toBe(1);
    expect(dir.stderr).toBe('Error: cannot start the broker: cannot create log directory /proc/kts-nope: ENOENT\n');
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    for (const dirs of [file, `${dataDir}-second,${file}`]) {
      const notDir = await logDirs(dirs);
      expect(notDir.code).toBe(1);
      expect(notDir.stderr).toBe(`Error: cannot start the broker: cannot create log directory ${file}: ENOTDIR\n`);
    }
    // A directory that exists but takes no files (as root too: sysfs refuses them).
    const unwritable = await logDirs('/sys/kernel');
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(
      /^Error: cannot start the broker: cannot write to log directory \/sys\/kernel: (EACCES|EROFS|EPERM)\n$/,
    );

    const value = await runKts(['server-start', '--override', 'num.partitions=many'], { env });
    expect(value.code).toBe(1);
    expect(value.stderr).toBe('Error: Invalid value many for configuration num.partitions: Not a number of type INT\n');

    const usage = await runKts(['server-start', '--override', 'num.partitions'], { env });
    expect(usage.code).toBe(2);
  });

  it('refuses a corrupt meta.properties with one line and exit 1, leaving the file as it was', async () => {
    const dir = join(root, 'corrupt-meta');
    mkdirSync(dir);
    const meta = join(dir, 'meta.properties');
    writeFileSync(meta, 'version=0\nbroker.id=0\ncluster.id=\\u12\n');
    const r = await runKts(['server-start', '--override', 'listeners=PLAINTEXT://127.0.0.1:0', '--override', `log.dirs=${dir}`], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: cannot start the broker: ${meta} is corrupt: malformed \\uxxxx escape on line 3\n`);
    expect(readFileSync(meta, 'utf8')).toBe('version=0\nbroker.id=0\ncluster.id=\\u12\n');
  });

  it('stops only the broker started with a given server.properties', async () => {
    const properties = join(root, 'other.properties');
    writeFileSync(properties, `listeners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${join(root, 'other-data')}\n`);
    const other = await runKts(['server-start', '-daemon', properties], { env });
    expect(other.code, other.stderr).toBe(0);
    const otherPid = Number(/pid (\d+)/.exec(other.stdout)![1]);
    const main = await startDaemon();
    const stopped = await runKts(['server-stop', properties], { env });
    expect(stopped.stdout).toMatch(new RegExp(`^Stopped kafka \\(pid ${otherPid}, port \\d+\\)\n$`));
    const rest = await runKts(['server-stop'], { env });
    expect(rest.stdout).toBe(`Stopped kafka (pid ${main.pid}, port ${main.port})\n`);
  });

  it('names unknown keys in one warning line and still starts', async () => {
    const r = await runKts(startArgs('--override', 'no.such.key=1', '--override', 'another.unknown=2'), { env });
    expect(r.code).toBe(0);
    await runKts(['server-stop'], { env });
    const out = readFileSync(join(root, 'logs', 'kafkaServer.out'), 'utf8');
    expect(out).toMatch(/WARN Ignoring unknown configuration keys: no.such.key, another.unknown\n/);
  });
});
