import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_AFTER_MS } from '../../../src/cli/cached-bundle.js';
import { brokerForTest } from '../../helpers/broker.js';
import { runKts } from '../../helpers/kts.js';
import { waitUntil } from '../../helpers/wait.js';

/** `kts server-start` runs its bundle through a V8 code cache kept under $XDG_CACHE_HOME/kts. */
describe('server-start code cache', () => {
  let root: string;
  let cacheDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kts-code-cache-'));
    cacheDir = join(root, 'cache', 'kts');
    env = { KTS_RUN_DIR: join(root, 'run'), LOG_DIR: join(root, 'logs'), XDG_CACHE_HOME: join(root, 'cache') };
  });

  afterAll(async () => {
    await runKts(['server-stop'], { env });
    rmSync(root, { recursive: true, force: true });
  });

  /** The broker's cache files (each command run here has its own too). */
  const cacheFiles = (command = 'server-start') => {
    try {
      return readdirSync(cacheDir).filter((f) => f.startsWith(`${command}.cjs-`) && f.endsWith('.cache'));
    } catch {
      return [];
    }
  };

  /** Starts a daemon and creates `topic` on it; returns a function that lists its topics. */
  async function startAndCreateTopic(topic: string): Promise<() => Promise<string>> {
    const start = await runKts(
      ['server-start', '-daemon', '--override', 'listeners=PLAINTEXT://127.0.0.1:0', '--override', `log.dirs=${join(root, 'data')}`],
      { env },
    );
    expect(start.code, start.stderr).toBe(0);
    const server = ['--bootstrap-server', `127.0.0.1:${/port (\d+)/.exec(start.stdout)![1]}`];
    const create = await runKts(['topics', ...server, '--create', '--topic', topic], { env });
    expect(create.stdout).toBe(`Created topic ${topic}.\n`);
    return async () => (await runKts(['topics', ...server, '--list'], { env })).stdout;
  }

  async function stop(): Promise<void> {
    expect((await runKts(['server-stop'], { env })).code).toBe(0);
  }

  it('is written after the first start, reused as is, and replaced when corrupt', async () => {
    await startAndCreateTopic('first');
    const [name] = await waitUntil(() => cacheFiles().length > 0 && cacheFiles(), 'the cache file');
    const path = join(cacheDir, name!);
    const written = statSync(path).mtimeMs;
    await stop();

    // A valid cache is accepted: the second start schedules no write. A write would be due
    // WRITE_AFTER_MS after start-up; the broker runs due timers before it handles a request that
    // arrives later, so once that request is answered, a rewrite would have happened.
    const listTopics = await startAndCreateTopic('second');
    await sleep(WRITE_AFTER_MS);
    expect(await listTopics()).toBe('first\nsecond\n');
    expect(statSync(path).mtimeMs).toBe(written);
    expect(cacheFiles()).toEqual([name]);
    await stop();

    // Garbage in the cache costs only the compile: the broker starts and the cache is rewritten.
    writeFileSync(path, Buffer.alloc(4096, 7));
    await startAndCreateTopic('third');
    await waitUntil(() => !readFileSync(path).equals(Buffer.alloc(4096, 7)), 'the rewritten cache');
    await stop();
  });

  it("a tool's cache is written when it exits, and reused as is", async () => {
    const own = { ...env, XDG_CACHE_HOME: join(root, 'tool-cache') };
    const toolCaches = () => readdirSync(join(root, 'tool-cache', 'kts')).filter((f) => f.startsWith('topics.cjs-'));
    await runKts(['topics', '--list', '--bootstrap-server', '127.0.0.1:1'], { env: own });
    const [name] = toolCaches();
    expect(name).toBeDefined();
    const written = statSync(join(root, 'tool-cache', 'kts', name!)).mtimeMs;
    await runKts(['topics', '--list', '--bootstrap-server', '127.0.0.1:1'], { env: own });
    expect(toolCaches()).toEqual([name]);
    expect(statSync(join(root, 'tool-cache', 'kts', name!)).mtimeMs).toBe(written);
  });

  it("a tool's cache from --help or a failed run is replaced by the first run that does the command's work, then kept", async () => {
    const broker = await brokerForTest();
    const own = { ...env, XDG_CACHE_HOME: join(root, 'help-first-cache') };
    const dir = join(root, 'help-first-cache', 'kts');
    const cache = () => {
      const [name, ...more] = readdirSync(dir).filter((f) => f.startsWith('topics.cjs-'));
      expect(more).toEqual([]);
      const path = join(dir, name!);
      return { bytes: readFileSync(path), mtimeMs: statSync(path).mtimeMs };
    };
    const listTopics = (bootstrap: string) => runKts(['topics', '--list', '--bootstrap-server', bootstrap], { env: own });

    expect((await runKts(['topics', '--help'], { env: own })).code).toBe(0);
    const fromHelp = cache();
    expect(fromHelp.bytes[0]).toBe(0);
    expect((await listTopics('127.0.0.1:1')).code).not.toBe(0);
    expect(cache()).toEqual(fromHelp);

    expect((await listTopics(broker.bootstrapServers)).code).toBe(0);
    const fromWork = cache();
    expect(fromWork.bytes[0]).toBe(1);
    // More of the command than --help compiled.
    expect(fromWork.bytes.length).toBeGreaterThan(fromHelp.bytes.length);

    expect((await listTopics(broker.bootstrapServers)).code).toBe(0);
    expect((await runKts(['topics', '--help'], { env: own })).code).toBe(0);
    expect(cache()).toEqual(fromWork);
  });
});
