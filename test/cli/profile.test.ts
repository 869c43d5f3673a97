import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { runKts } from '../helpers/kts.js';

/**
 * Named profiles: which bootstrap servers a tool uses is shown by the (refused) address it names,
 * so no broker is needed. Precedence: --bootstrap-server, --profile/$KTS_PROFILE,
 * $KTS_BOOTSTRAP_SERVER, the current profile, localhost:9092.
 */
describe('kts profile', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let [a, b, c] = [0, 0, 0];
  const refused = (port: number) => `Error: could not connect to any broker at 127.0.0.1:${port} (connection refused)\n`;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kts-profiles-'));
    env = { XDG_CONFIG_HOME: join(root, 'config'), KTS_BOOTSTRAP_SERVER: '', KTS_PROFILE: '' };
    [a, b, c] = [await freePort(), await freePort(), await freePort()];
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('create, use, list and delete', async () => {
    const clientFile = join(root, 'secure.properties');
    writeFileSync(clientFile, 'security.protocol=PLAINTEXT\nclient.id=from-file\n');
    const create = await runKts(
      [
        'profile',
        'create',
        'prod',
        '--bootstrap-server',
        `127.0.0.1:${a}`,
        '--command-config',
        clientFile,
        '--property',
        'client.id=mine',
        '--use',
      ],
      { env },
    );
    const path = join(root, 'config', 'kts', 'profiles', 'prod.properties');
    expect([create.code, create.stderr, create.stdout]).toEqual([0, '', `Created profile prod in ${path}.\nNow using profile prod.\n`]);
    expect(readFileSync(path, 'utf8')).toBe(
      `client.id=mine\nbootstrap.servers=127.0.0.1\\:${a}\nkts.command.config=${clientFile.replace(/:/g, '\\:')}\n`,
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await runKts(['profile', 'create', 'dev', '--bootstrap-server', `127.0.0.1:${b}`], { env })).code).toBe(0);
    expect((await runKts(['profile', 'list'], { env })).stdout).toBe(`  dev\t127.0.0.1:${b}\n* prod\t127.0.0.1:${a}\n`);
    expect(JSON.parse((await runKts(['profile', 'list', '--output', 'json'], { env })).stdout)).toEqual([
      { name: 'dev', current: false, bootstrapServers: `127.0.0.1:${b}` },
      { name: 'prod', current: true, bootstrapServers: `127.0.0.1:${a}` },
    ]);
    const again = await runKts(['profile', 'create', 'dev'], { env });
    expect([again.code, again.stderr]).toEqual([2, "Error: profile 'dev' already exists (kts profile delete dev first)\n"]);
    const missing = await runKts(['profile', 'use', 'nope'], { env });
    expect([missing.code, missing.stderr]).toEqual([2, "Error: no profile 'nope' (kts profile list shows them)\n"]);
  });

  it('tools use the current profile; $KTS_BOOTSTRAP_SERVER still wins over it', async () => {
    expect((await runKts(['topics', '--list'], { env })).stderr).toBe(refused(a));
    expect((await runKts(['get-offsets'], { env: { ...env, KTS_BOOTSTRAP_SERVER: `127.0.0.1:${c}` } })).stderr).toBe(refused(c));
    expect((await runKts(['topics', '--list', '--bootstrap-server', `127.0.0.1:${c}`], { env })).stderr).toBe(refused(c));
  });

  it('--profile and $KTS_PROFILE pick a profile, over $KTS_BOOTSTRAP_SERVER', async () => {
    const withEnv = { ...env, KTS_BOOTSTRAP_SERVER: `127.0.0.1:${c}` };
    expect((await runKts(['topics', '--list', '--profile', 'dev'], { env: withEnv })).stderr).toBe(refused(b));
    expect((await runKts(['consumer-groups', '--list'], { env: { ...withEnv, KTS_PROFILE: 'dev' } })).stderr).toBe(refused(b));
    const unknown = await runKts(['topics', '--list', '--profile', 'nope'], { env });
    expect([unknown.code, unknown.stderr]).toEqual([2, "Error: no profile 'nope' (kts profile list shows them)\n"]);
  });

  it('deleting the current profile falls back to $KTS_BOOTSTRAP_SERVER, then localhost:9092', async () => {
    expect((await runKts(['profile', 'delete', 'prod'], { env })).stdout).toBe('Deleted profile prod.\n');
    expect((await runKts(['profile', 'list'], { env })).stdout).toBe(`  dev\t127.0.0.1:${b}\n`);
    expect((await runKts(['topics', '--list'], { env: { ...env, KTS_BOOTSTRAP_SERVER: `127.0.0.1:${c}` } })).stderr).toBe(refused(c));
  });
});
