import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ClientState, ZooKeeperClient } from '../../../src/zookeeper/client/index.js';
import { freePort } from '../../helpers/free-port.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { waitUntil } from '../../helpers/wait.js';
import { buf, Clients, drainNotifications, keeperError, recorder, SERVERS, startServer, type TestServer } from './harness.js';

/** The states a client goes through from now on. */
function states(zk: ZooKeeperClient): ClientState[] {
  const seen: ClientState[] = [];
  zk.on('state', (s) => seen.push(s));
  return seen;
}

describe.each(SERVERS)('ZooKeeperClient sessions against $title', ({ kind, options }) => {
  let server: TestServer;
  const clients = new Clients();
  const proxies: TcpProxy[] = [];
  /** Nothing listens there: connections to it are refused. */
  let deadPort: number;
  let n = 0;
  let root: string;

  beforeAll(async () => {
    if (options.skip) return;
    server = await startServer(kind);
    deadPort = await freePort();
  });
  afterAll(() => server?.stop());
  afterEach(async () => {
    await clients.closeAll();
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });

  /** A proxy in front of the server, and a fresh root for the test. */
  const proxy = async (): Promise<TcpProxy> => {
    root = `/s${++n}`;
    const p = await startTcpProxy();
    p.forwardTo('127.0.0.1', server.port);
    proxies.push(p);
    return p;
  };
  const via = (...ps: TcpProxy[]): string => ps.map((p) => `127.0.0.1:${p.port}`).join(',');

  it(
    'connection loss: requests in flight fail with CONNECTIONLOSS; the same session comes back with its ephemerals and watches',
    options,
    async () => {
      const p = await proxy();
      const zk = await clients.connect(via(p), { sessionTimeoutMs: 6000 });
      const other = await clients.connect(server.connectString);
      const seen = states(zk);
      await zk.create(root, buf('0'));
      await zk.create(`${root}/eph`, null, { mode: 'ephemeral' });
      const data = recorder();
      const children = recorder();
      const created = recorder();
      await zk.getData(root, data.watcher);
      await zk.getChildren(root, children.watcher);
      await zk.exists(`${root}/later`, created.watcher);
      const id = zk.sessionId;

      p.pause(); // the request below never reaches the server
      const inFlight = zk.setData(root, buf('never'));
      await new Promise((r) => setImmediate(r));
      p.cut();
      const lost = await keeperError(inFlight);
      expect([lost.codeName, lost.path]).toEqual(['CONNECTIONLOSS', root]);
      await waitUntil(() => zk.state === 'disconnected', 'the disconnected state', 5000);

      // Changes while the client is away, and a request made meanwhile: it waits for the reconnect.
      await other.setData(root, buf('1'));
      await other.create(`${root}/later`, null);
      const waiting = zk.getData(root);
      p.resume();
      expect((await waiting).data.toString()).toBe('1');
      expect(zk.state).toBe('connected');
      expect(zk.sessionId).toBe(id);
      expect(seen).toEqual(['disconnected', 'connected']);
      expect((await other.exists(`${root}/eph`))?.ephemeralOwner).toBe(id);

      // SetWatches re-registered the three watches; the server fired them for what changed meanwhile.
      await drainNotifications(zk, root);
      expect(data.events).toEqual([{ type: 'dataChanged', path: root }]);
      expect(children.events).toEqual([{ type: 'childrenChanged', path: root }]);
      expect(created.events).toEqual([{ type: 'created', path: `${root}/later` }]);

      // A watch set before a loss that nothing changed during it still fires afterwards.
      const later = recorder();
      await zk.getData(`${root}/later`, later.watcher);
      p.cut();
      await waitUntil(async () => (await zk.exists(root).catch(() => null)) !== null && zk.state === 'connected', 'the reconnect', 10_000);
      await other.setData(`${root}/later`, buf('x'));
      await waitUntil(() => later.events.length === 1, 'the watch set before the loss', 5000);
      expect(later.events).toEqual([{ type: 'dataChanged', path: `${root}/later` }]);
    },
  );

  it('re-registers more watches than one SetWatches holds (batches of 128 KiB of paths)', options, async () => {
    const p = await proxy();
    const zk = await clients.connect(via(p), { sessionTimeoutMs: 6000 });
    const other = await clients.connect(server.connectString);
    await zk.create(root, null);
    // 1500 paths of ~120 characters: two SetWatches packets.
    const paths = Array.from({ length: 1500 }, (_, i) => `${root}/${'n'.repeat(100)}-${String(i).padStart(5, '0')}`);
    await Promise.all(paths.map((path) => zk.create(path, null)));
    const fired: string[] = [];
    await Promise.all(paths.map((path) => zk.getData(path, (e) => fired.push(e.path))));
    p.cut();
    await waitUntil(() => zk.state === 'disconnected', 'the disconnected state', 5000);
    await other.setData(paths[0]!, buf('first batch'));
    await other.setData(paths.at(-1)!, buf('second batch'));
    await waitUntil(() => fired.length === 2, 'both watches, from both batches', 15_000);
    expect(fired.sort()).toEqual([paths[0], paths.at(-1)]);
  });

  it('pings keep an idle session alive; a server that goes silent is dropped after 2/3 of the timeout', options, async () => {
    const p = await proxy();
    const zk = await clients.connect(via(p), { sessionTimeoutMs: 6000 });
    const seen = states(zk);
    await zk.create(root, null);
    const id = zk.sessionId;
    // Replies held back: pings still reach the server (the session lives), the client hears nothing.
    p.pause('server');
    await waitUntil(() => zk.state === 'disconnected', 'the client to drop the silent connection', 10_000);
    p.resume('server');
    await waitUntil(() => zk.state === 'connected', 'the reconnect', 10_000);
    expect(zk.sessionId).toBe(id);
    expect(seen).toEqual(['disconnected', 'connected']);
    // Idle for longer than the negotiated timeout: pings keep the session.
    const short = await clients.connect(via(p), { sessionTimeoutMs: 600 });
    const shortStates = states(short);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await short.exists(root)).not.toBeNull();
    expect(shortStates).toEqual([]);
  });

  it(
    'session expiry: a client cut off past the timeout finds its session expired; every call then fails with SESSIONEXPIRED',
    options,
    async () => {
      const p = await proxy();
      const zk = await clients.connect(via(p), { sessionTimeoutMs: 1000 });
      expect(zk.sessionTimeoutMs).toBe(1000);
      const other = await clients.connect(server.connectString);
      const seen = states(zk);
      await zk.create(root, null);
      await zk.create(`${root}/eph`, null, { mode: 'ephemeral' });

      p.forwardTo('127.0.0.1', deadPort);
      p.cut();
      await waitUntil(() => zk.state === 'disconnected', 'the disconnected state', 5000);
      const waiting = keeperError(zk.getData(root));
      await waitUntil(
        async () => (await other.exists(`${root}/eph`)) === null,
        'the server to expire the session and drop its ephemeral',
        10_000,
      );
      p.forwardTo('127.0.0.1', server.port);
      await waitUntil(() => zk.state === 'expired', 'the expired state', 10_000);
      expect(seen).toEqual(['disconnected', 'expired']);
      expect((await waiting).codeName).toBe('SESSIONEXPIRED');
      const later = await keeperError(zk.create(`${root}/x`, null));
      expect([later.codeName, later.message]).toEqual(['SESSIONEXPIRED', `KeeperErrorCode = Session expired for ${root}/x`]);
      await zk.close();
      expect(seen).toEqual(['disconnected', 'expired']);

      // What the broker does then: a new client, a new session.
      const fresh = await clients.connect(via(p), { sessionTimeoutMs: 1000 });
      expect(fresh.sessionId).not.toBe(zk.sessionId);
      await fresh.create(`${root}/eph`, null, { mode: 'ephemeral' });
    },
  );

  it('moves to the next server of the connect string with the same session when its server goes away', options, async () => {
    const a = await proxy();
    const b = await startTcpProxy();
    b.forwardTo('127.0.0.1', server.port);
    proxies.push(b);
    const zk = await clients.connect(via(a, b), { sessionTimeoutMs: 6000 });
    const other = await clients.connect(server.connectString);
    await zk.create(root, null);
    await zk.create(`${root}/eph`, null, { mode: 'ephemeral' });
    const watch = recorder();
    await zk.getChildren(root, watch.watcher);
    const id = zk.sessionId;
    const [gone, alive] = zk.connectedServer === via(a) ? [a, b] : [b, a];
    expect(zk.connectedServer).toBe(via(gone));

    gone.forwardTo('127.0.0.1', deadPort);
    gone.cut();
    await waitUntil(() => zk.connectedServer === via(alive), 'the session on the other address', 10_000);
    expect(zk.sessionId).toBe(id);
    expect((await other.exists(`${root}/eph`))?.ephemeralOwner).toBe(id);
    await other.create(`${root}/new`, null);
    await waitUntil(() => watch.events.length === 1, 'the child watch', 5000);
  });

  it('close while disconnected ends at once; what waited for a connection fails', options, async () => {
    const p = await proxy();
    const zk = await clients.connect(via(p));
    const seen = states(zk);
    p.forwardTo('127.0.0.1', deadPort);
    p.cut();
    await waitUntil(() => zk.state === 'disconnected', 'the disconnected state', 5000);
    const waiting = keeperError(zk.getData('/'));
    await zk.close();
    const err = await waiting;
    expect([err.codeName, err.message]).toEqual(['SESSIONEXPIRED', 'KeeperErrorCode = Session expired for / (the client is closed)']);
    expect(seen).toEqual(['disconnected', 'closed']);
  });
});

describe('ZooKeeperClient.connect', () => {
  it('gives up after connectionTimeoutMs with one line naming the servers and the last failure', async () => {
    const ports = [await freePort(), await freePort()];
    const connectString = ports.map((port) => `127.0.0.1:${port}`).join(',');
    const err = await ZooKeeperClient.connect({ connectString, connectionTimeoutMs: 1500 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      new RegExp(
        `^Timed out waiting for a connection to ZooKeeper at ${connectString.replace(/\./g, '\\.')} after 1500 ms \\(127\\.0\\.0\\.1:(${ports.join('|')}): connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\)$`,
      ),
    );
  });

  it('a server that accepts but never answers: each attempt ends after its share of the session timeout', async () => {
    // Reads and drops everything, so it notices when the client gives up.
    const silent = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const err = await ZooKeeperClient.connect({ connectString: address, sessionTimeoutMs: 400, connectionTimeoutMs: 1000 }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toBe(
        `Timed out waiting for a connection to ZooKeeper at ${address} after 1000 ms (${address}: no session established within 400 ms)`,
      );
    } finally {
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('rejects a malformed connect string with one line', async () => {
    for (const [connectString, message] of [
      ['', 'The ZooKeeper connect string is empty'],
      ['host:99999', 'Invalid port 99999 in ZooKeeper connect string host:99999'],
      ['h:2181/kafka/', 'Invalid chroot path /kafka/ in ZooKeeper connect string h:2181/kafka/'],
    ]) {
      await expect(ZooKeeperClient.connect({ connectString: connectString! })).rejects.toThrow(message);
    }
  });
});
