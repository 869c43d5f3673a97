import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKts } from '../../helpers/kts.js';

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

  const cacheFiles = () => {
    try {
      return readdirSync(cacheDir).filter((f) => f.endsWith('.cache'));
    } catch {
      return [];
    }
  };

  async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function startAndCreateTopic(topic: string): Promise<void> {
    const start = await runKts(
      ['server-start', '-daemon', '--override', 'listeners=PLAINTEXT://127.0.0.1:0', '--override', `log.dirs=${join(root, 'data')}`],
      { env },
    );
    expect(start.code, start.stderr).toBe(0);
    const port = /port (\d+)/.exec(start.stdout)![1];
    const create = await runKts(['topics', '--bootstrap-server', `127.0.0.1:${port}`, '--create', '--topic', topic], { env });
    expect(create.stdout).toBe(`Created topic ${topic}.\n`);
  }

  async function stop(): Promise<void> {
    expect((await runKts(['server-stop'], { env })).code).toBe(0);
  }

  it('is written after the first start, reused as is, and replaced when corrupt', async () => {
    await startAndCreateTopic('first');
    const [name] = await waitFor('the cache file', () => (cacheFiles().length > 0 ? cacheFiles() : undefined));
    const path = join(cacheDir, name!);
    const written = statSync(path).mtimeMs;
    await stop();

    // A valid cache is accepted: the second start leaves it alone.
    await startAndCreateTopic('second');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(statSync(path).mtimeMs).toBe(written);
    expect(cacheFiles()).toEqual([name]);
    await stop();

    // Garbage in the cache costs only the compile: the broker starts and the cache is rewritten.
    writeFileSync(path, Buffer.alloc(4096, 7));
    await startAndCreateTopic('third');
    await waitFor('the rewritten cache', () => (readFileSync(path).equals(Buffer.alloc(4096, 7)) ? undefined : true));
    await stop();
  });
});
