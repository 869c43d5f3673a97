import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKts } from '../helpers/kts.js';
import { fourLetterWord } from './apache-zookeeper.js';
import { tempDir, tempServer } from './helpers.js';

describe('kts zookeeper-start errors and -daemon', () => {
  const dir = tempDir('cli');
  const env = { KTS_RUN_DIR: join(dir, 'run'), LOG_DIR: join(dir, 'logs') };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function props(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('fails with one line and exit 1 on a bad value, an unusable dataDir or a taken port', async () => {
    const bad = await runKts(['zookeeper-start', props('bad.properties', `dataDir=${dir}/d\nclientPort=abc\n`)], { env });
    expect([bad.code, bad.stderr]).toEqual([
      1,
      `Error: ${dir}/bad.properties: Invalid value for clientPort: 'abc' (expected an integer >= 0)\n`,
    ]);
    const unusable = await runKts(['zookeeper-start', props('dir.properties', 'dataDir=/etc/passwd/zk\nclientPort=0\n')], { env });
    expect(unusable.code).toBe(1);
    expect(unusable.stderr).toMatch(
      /^Error: cannot start zookeeper: cannot create data directory \/etc\/passwd\/zk\/version-2: ENOTDIR\n$/,
    );
    const other = await tempServer();
    try {
      const taken = await runKts(
        ['zookeeper-start', props('port.properties', `dataDir=${dir}/p\nclientPort=${other.port}\nclientPortAddress=127.0.0.1\n`)],
        { env },
      );
      expect([taken.code, taken.stderr]).toEqual([1, `Error: cannot start zookeeper: port 127.0.0.1:${other.port} is already in use\n`]);
    } finally {
      await other.dispose();
    }
  });

  it('-daemon returns once the server accepts connections; zookeeper-stop stops it', async () => {
    const path = props(
      'daemon.properties',
      `dataDir=${dir}/daemon\nclientPort=0\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\nmystery=1\n`,
    );
    const started = await runKts(['zookeeper-start', '-daemon', path], { env });
    expect(started.code, started.stderr).toBe(0);
    const m = /^Started zookeeper \(pid (\d+), port (\d+)\); output in (.+)$/m.exec(started.stdout);
    expect(m).not.toBeNull();
    const port = Number(m![2]);
    expect(await fourLetterWord(port, 'ruok')).toBe('imok');
    expect(readFileSync(m![3]!, 'utf8')).toContain('WARN: unknown ZooKeeper configuration keys ignored: mystery\n');
    const stopped = await runKts(['zookeeper-stop'], { env });
    expect([stopped.code, stopped.stdout]).toEqual([0, `Stopped zookeeper (pid ${m![1]}, port ${port})\n`]);
  });
});
