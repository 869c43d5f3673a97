import { afterEach, describe, expect, it } from 'vitest';
import { runKts } from '../helpers/kts.js';
import { runText } from '../helpers/process.js';
import { needs, ZOOKEEPER_BIN } from '../helpers/requirements.js';
import { tempServer, type TempServer } from './helpers.js';

const ZKCLI = `${ZOOKEEPER_BIN}/zkCli.sh`;
const CONNECTED_EVENT = '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n';

/** What differs between two runs of the same commands on two fresh servers: times, session ids, the JVM's logging. */
function normalize(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('SLF4J:'))
    .map((line) =>
      line.replace(/^([cm]time) = .*$/, '$1 = <time>').replace(/^ephemeralOwner = 0x[0-9a-f]{2,}$/, 'ephemeralOwner = <session>'),
    )
    .join('\n');
}

const SCRIPT = [
  'create /a hello',
  'create /a/b',
  'create /a/c "two words"',
  'create -s /a/seq- x',
  'create -e /a/eph',
  'ls /a',
  'ls -s /a',
  'get /a/c',
  'get -w /a',
  'set /a again',
  'get -s /a',
  'stat /a/b',
  'stat /a/eph',
  'set -s /a/b data',
  'ls -R /a',
  'get /missing',
  'delete /a',
  'delete -v 5 /a/b',
  'create /a x',
  'create relative',
  'deleteall /a',
  'ls /',
  'quit',
].join('\n');

describe("kts zookeeper-shell prints what Apache ZooKeeper's zkCli prints for the same commands", needs('apache-zookeeper'), () => {
  const servers: TempServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.dispose()));
  });
  const fresh = async () => {
    const s = await tempServer();
    servers.push(s);
    return s.connectString;
  };

  it('a script on stdin: the same stdout and stderr, line for line', async () => {
    const [apache, kts] = await Promise.all([
      fresh().then((c) => runText(ZKCLI, ['-server', c], { input: `${SCRIPT}\n`, timeoutMs: 30_000 }).then((r) => ({ ...r, connect: c }))),
      fresh().then((c) => runKts(['zookeeper-shell', c], { input: `${SCRIPT}\n`, timeoutMs: 30_000 }).then((r) => ({ ...r, connect: c }))),
    ]);
    // zkCli's JVM may exit on `quit` before its event thread prints the Closed event, or part of it (it prints it in
    // three lines; it does under load): compared without it.
    const closed = '\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n';
    const closedOrItsStart = /\nWATCHER::\n(\n(WatchedEvent state:Closed type:None path:null\n?)?)?$/;
    // The watch `get -w /a` set fires on `set /a again`; both shells print the event from another thread, so where
    // it lands among the next commands' lines is a race in each: checked once in each output, compared without it.
    const changed = '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:/a\n';
    const stdout = (r: { stdout: Buffer | string; connect: string }) =>
      normalize(r.stdout.toString().replace(r.connect, '<server>')).replace(closedOrItsStart, '');
    expect(kts.stdout.toString().endsWith(closed)).toBe(true);
    for (const r of [kts, apache]) expect(stdout(r).split(changed)).toHaveLength(2);
    expect(stdout(kts).replace(changed, '')).toBe(stdout(apache).replace(changed, ''));
    expect(normalize(kts.stderr)).toBe(normalize(apache.stderr));
    expect(kts.stderr).toContain('Node does not exist: /missing\n');
    expect([kts.code, apache.code]).toEqual([0, 0]);
  }, 60_000);

  it('one command as arguments: the same output and exit code', async () => {
    const connect = await fresh();
    for (const command of [
      ['ls', '/'],
      ['get', '/nowhere'],
      ['create', '/made', 'data'],
      ['get', '-s', '/made'],
    ]) {
      const [apache, kts] = await Promise.all([
        runText(ZKCLI, ['-server', connect, ...command], { timeoutMs: 30_000 }),
        runKts(['zookeeper-shell', connect, ...command], { timeoutMs: 30_000 }),
      ]);
      if (command[0] === 'create') {
        // Both created it in turn: the second saw it exist.
        expect(normalize(`${apache.stderr}${kts.stderr}`).trim().split('\n').sort()).toEqual([
          'Created /made',
          'Node already exists: /made',
        ]);
        continue;
      }
      // zkCli's event thread prints the connection's SyncConnected event while the command runs: where it
      // lands among the command's lines (or whether it does before the JVM exits) is a race.
      const withoutConnected = (out: Buffer | string) => normalize(out.toString()).replace(CONNECTED_EVENT, '');
      expect(withoutConnected(kts.stdout)).toBe(withoutConnected(apache.stdout));
      expect(normalize(kts.stderr)).toBe(normalize(apache.stderr));
      expect(kts.code).toBe(apache.code);
    }
  }, 60_000);

  it('refuses a missing server in one line', async () => {
    const r = await runKts(['zookeeper-shell']);
    expect([r.code, r.stderr.trim()]).toEqual([
      2,
      'USAGE: zookeeper-shell zookeeper_host:port[/path] [-zk-tls-config-file file] [args...]',
    ]);
  });
});
