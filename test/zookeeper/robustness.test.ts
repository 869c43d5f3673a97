import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourLetterWord } from './apache-zookeeper.js';
import { runText } from '../helpers/process.js';
import { needs, PYTHON } from '../helpers/requirements.js';
import { waitUntil } from '../helpers/wait.js';
import { tempServer, type TempServer } from './helpers.js';
import { connectZk } from './node-client.js';

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves true when the server closes the socket (within 5 s), false if it stays open. */
function closedByServer(s: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    s.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    s.on('error', () => undefined);
    s.resume();
  });
}

/** A ConnectRequest frame with the trailing readOnly byte. */
function connectFrame(timeout: number): Buffer {
  const body = Buffer.alloc(4 + 8 + 4 + 8 + 4 + 16 + 1);
  body.writeInt32BE(timeout, 12);
  body.writeInt32BE(16, 24);
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length);
  return Buffer.concat([len, body]);
}

describe('robustness', () => {
  let zk: TempServer;
  beforeAll(async () => {
    zk = await tempServer({ tickTime: 200, maxBuffer: 4096 });
  });
  afterAll(() => zk?.dispose());

  it('closes only the connection that sends a malformed or oversized packet', async () => {
    const good = await connectZk(zk.connectString);
    await good.create('/still-here', 'ok');
    const cases: Buffer[] = [
      Buffer.from([0xff, 0xff, 0xff, 0xfe, 1, 2, 3]), // negative length
      Buffer.from([0x00, 0x10, 0x00, 0x00]), // 1 MiB > jute.maxbuffer of this server
      Buffer.from([0, 0, 0, 3, 1, 2, 3]), // truncated ConnectRequest
    ];
    for (const bytes of cases) {
      const s = await rawSocket(zk.port);
      s.write(bytes);
      expect(await closedByServer(s)).toBe(true);
    }
    // A request body that lies about its string length, after a valid handshake.
    const s = await rawSocket(zk.port);
    s.write(connectFrame(4000));
    const bad = Buffer.alloc(4 + 8 + 4);
    bad.writeInt32BE(12, 0);
    bad.writeInt32BE(1, 4); // xid
    bad.writeInt32BE(4, 8); // getData
    bad.writeInt32BE(0x7fffffff, 12); // path length far beyond the frame
    s.write(bad);
    expect(await closedByServer(s)).toBe(true);
    expect(await good.get('/still-here')).toBe('ok');
    good.close();
  });

  it('answers the four-letter words on the client port', async () => {
    expect(await fourLetterWord(zk.port, 'ruok')).toBe('imok');
    expect(await fourLetterWord(zk.port, 'srvr')).toMatch(
      /^Zookeeper version: .*\nLatency min\/avg\/max: .*\nMode: standalone\nNode count: \d+\n$/s,
    );
    expect(await fourLetterWord(zk.port, 'stat')).toContain('Clients:\n');
    expect(await fourLetterWord(zk.port, 'mntr')).toMatch(/^zk_version\t.*\nzk_server_state\tstandalone\n/);
    expect(await fourLetterWord(zk.port, 'conf')).toContain(`clientPort=${zk.port}\n`);
    expect(await fourLetterWord(zk.port, 'dump')).toBe('dump is not executed because it is not in the whitelist.\n');
  });

  it('expires a session whose client vanished, deleting its ephemeral nodes', needs('kazoo'), async () => {
    const watcher = await connectZk(zk.connectString);
    // kazoo creates an ephemeral with a short session and exits without closing it.
    const script = [
      'import os, sys',
      'from kazoo.client import KazooClient',
      'zk = KazooClient(hosts=sys.argv[1], timeout=1)',
      'zk.start(timeout=10)',
      "zk.create('/orphan', ephemeral=True)",
      'os._exit(0)',
    ].join('\n');
    const res = await runText(PYTHON, ['-c', script, zk.connectString], { timeoutMs: 20_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(await watcher.exists('/orphan')).toBe(true);
    await waitUntil(async () => !(await watcher.exists('/orphan')), 'the session to expire');
    watcher.close();
  });

  it('serves many concurrent clients', async () => {
    const clients = await Promise.all(Array.from({ length: 40 }, () => connectZk(zk.connectString)));
    await Promise.all(clients.map((c, i) => c.create(`/many-${i}`, String(i))));
    const root = await clients[0]!.children('/');
    for (let i = 0; i < 40; i++) expect(root).toContain(`many-${i}`);
    expect(await Promise.all(clients.map((c, i) => c.get(`/many-${(i + 1) % 40}`)))).toEqual(clients.map((_, i) => String((i + 1) % 40)));
    for (const c of clients) c.close();
  });
});
