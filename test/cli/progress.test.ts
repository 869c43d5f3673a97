import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../src/broker/index.js';
import { KTS_BIN, runKts } from '../helpers/kts.js';
import { runText } from '../helpers/process.js';

/** Runs kts with a terminal as its standard streams (util-linux `script`), as a person at a shell would. */
function onTerminal(args: string[]) {
  const command = [KTS_BIN, ...args].map((a) => `'${a}'`).join(' ');
  return runText('script', ['-qec', command, '/dev/null'], { env: { NO_COLOR: '1' } });
}

/** Progress of long work: a bar on stderr when it is a terminal, nothing in a pipe. */
describe('progress on a terminal', () => {
  let broker: StartedBroker;
  let dir: string;
  let file: string;
  let server: string[];

  beforeAll(async () => {
    broker = await startBroker();
    server = ['--bootstrap-server', broker.bootstrapServers];
    dir = mkdtempSync(join(tmpdir(), 'kts-progress-'));
    file = join(dir, 'lines.txt');
    writeFileSync(file, `${'x'.repeat(99)}\n`.repeat(30_000));
  });
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('console-producer --file: the bytes read, up to the whole file, then the bar is cleared', async () => {
    const r = await onTerminal(['console-producer', '--topic', 'tty', '--file', file, ...server]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('100% 3000000/3000000 bytes');
    expect(r.stdout.endsWith('\r\x1b[K')).toBe(true);
  });

  it('console-producer --file in a pipe: no bar', async () => {
    const r = await runKts(['console-producer', '--topic', 'piped', '--file', file, ...server]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('consumer-groups --reset-offsets over several groups: the groups done', async () => {
    for (const group of ['g1', 'g2', 'g3']) {
      await runKts(['console-consumer', '--topic', 'tty', '--group', group, '--from-beginning', '--max-messages', '1', ...server]);
    }
    const reset = ['consumer-groups', '--reset-offsets', '--all-groups', '--all-topics', '--to-earliest', '--dry-run', ...server];
    const r = await onTerminal(reset);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('100% 3/3 groups');
    const piped = await runKts(reset);
    expect([piped.code, piped.stderr]).toEqual([0, '']);
  });
});
