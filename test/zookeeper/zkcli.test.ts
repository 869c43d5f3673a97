import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runText } from '../helpers/process.js';
import { needs, ZOOKEEPER_BIN } from '../helpers/requirements.js';
import { tempServer, type TempServer } from './helpers.js';

/** Debian's Apache ZooKeeper CLI (a JVM, so all commands go through one invocation). */
const ZKCLI = `${ZOOKEEPER_BIN}/zkCli.sh`;

describe('zkCli.sh', needs('apache-zookeeper'), () => {
  let zk: TempServer;
  beforeAll(async () => {
    zk = await tempServer();
  });
  afterAll(() => zk?.dispose());

  it('creates, reads, lists, sets, deletes, and sees ACL denial', async () => {
    const script = [
      'create /cli hello',
      'get /cli',
      'create -s /cli/seq- a',
      'create -s /cli/seq- b',
      'create -e /cli/eph e',
      'ls /cli',
      'set /cli world',
      'get -s /cli',
      'delete /cli/eph',
      'ls /cli',
      'create /locked x digest:u:Jq7wMyA/w2Vd5WIDAKdu4OIIFEQ=:cdrwa',
      'get /locked',
      'quit',
    ].join('\n');
    const res = await runText(ZKCLI, ['-server', zk.connectString], { input: `${script}\n`, timeoutMs: 30_000 });
    const out = res.stdout + res.stderr;
    expect(out).toContain('Created /cli\n');
    expect(out).toContain('hello\n');
    expect(out).toContain('Created /cli/seq-0000000000\n');
    expect(out).toContain('Created /cli/seq-0000000001\n');
    expect(out).toMatch(/world\ncZxid = 0x[0-9a-f]+\n/);
    expect(out).toContain('dataVersion = 1\n');
    expect(out).toContain('numChildren = 3\n');
    expect(out).toContain('Insufficient permission : /locked');
    const listings = [...out.matchAll(/^\[([^\]]*)\]$/gm)].map((m) => m[1]!.split(', ').sort());
    expect(listings).toContainEqual(['eph', 'seq-0000000000', 'seq-0000000001']);
    expect(listings).toContainEqual(['seq-0000000000', 'seq-0000000001']);
  });
});
