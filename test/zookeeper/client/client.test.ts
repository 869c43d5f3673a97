import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MultiError, type ZooKeeperClient } from '../../../src/zookeeper/client/index.js';
import { waitUntil } from '../../helpers/wait.js';
import { buf, Clients, drainNotifications, keeperError, recorder, SERVERS, startServer, type TestServer } from './harness.js';

describe.each(SERVERS)('ZooKeeperClient against $title', ({ kind, options }) => {
  let server: TestServer;
  const clients = new Clients();
  let n = 0;
  /** A fresh root per test, so tests never see each other's nodes. */
  let root: string;

  beforeAll(async () => {
    if (!options.skip) server = await startServer(kind);
  });
  afterAll(() => server?.stop());
  afterEach(() => clients.closeAll());

  const connect = (suffix = '', options = {}): Promise<ZooKeeperClient> => {
    root = `/t${++n}`;
    return clients.connect(server.connectString + suffix, options);
  };

  it('creates, reads, updates and deletes, with ZooKeeper error codes and the path', options, async () => {
    const zk = await connect();
    expect(zk.sessionTimeoutMs).toBe(10_000);
    expect(zk.sessionId).toBeGreaterThan(0n);
    expect(await zk.create(root, buf('v0'))).toBe(root);
    const { data, stat } = await zk.getData(root);
    expect([data.toString(), stat.version, stat.dataLength, stat.ephemeralOwner]).toEqual(['v0', 0, 2, 0n]);
    const set = await zk.setData(root, buf('v1'), 0);
    expect(set.version).toBe(1);
    expect(set.mzxid).toBeGreaterThan(stat.mzxid);

    const bad = await keeperError(zk.setData(root, buf('v2'), 0));
    expect([bad.codeName, bad.path, bad.message]).toEqual(['BADVERSION', root, `KeeperErrorCode = BadVersion for ${root}`]);
    expect((await keeperError(zk.create(root, null))).codeName).toBe('NODEEXISTS');
    expect((await keeperError(zk.getData(`${root}/missing`))).codeName).toBe('NONODE');
    expect((await keeperError(zk.create(`${root}/no/parent`, null))).codeName).toBe('NONODE');
    expect(await zk.exists(`${root}/missing`)).toBeNull();

    await zk.create(`${root}/b`, null);
    await zk.create(`${root}/a`, buf(''));
    const withStat = await zk.getChildrenWithStat(root);
    expect(withStat.children.sort()).toEqual(['a', 'b']);
    expect(withStat.stat.numChildren).toBe(2);
    expect((await zk.getData(`${root}/b`)).data.length).toBe(0);
    expect((await keeperError(zk.delete(root))).codeName).toBe('NOTEMPTY');
    expect((await keeperError(zk.delete(`${root}/a`, 5))).codeName).toBe('BADVERSION');
    await zk.delete(`${root}/a`, 0);
    await zk.delete(`${root}/b`);
    await zk.delete(root);
    expect(await zk.exists(root)).toBeNull();
    await zk.sync('/');
  });

  it('rejects invalid paths without sending them', options, async () => {
    const zk = await connect();
    for (const path of ['', 'relative', '/trailing/', '/a//b', '/a/./b']) {
      const err = await keeperError(zk.create(path, null));
      expect([err.codeName, err.path]).toEqual(['BADARGUMENTS', path]);
    }
    // A sequential node may end in '/': the server appends the number.
    await zk.create(root, null);
    expect(await zk.create(`${root}/`, null, { mode: 'persistent_sequential' })).toBe(`${root}/0000000000`);
  });

  it('creates every mode: ephemeral owned by the session, sequential names, containers', options, async () => {
    const zk = await connect();
    await zk.create(root, null);
    const eph = await zk.createWithStat(`${root}/eph`, buf('e'), { mode: 'ephemeral' });
    expect(eph.path).toBe(`${root}/eph`);
    expect(eph.stat.ephemeralOwner).toBe(zk.sessionId);
    expect((await keeperError(zk.create(`${root}/eph/child`, null))).codeName).toBe('NOCHILDRENFOREPHEMERALS');

    const names = [];
    for (const mode of ['persistent_sequential', 'ephemeral_sequential', 'persistent_sequential'] as const) {
      names.push(await zk.create(`${root}/seq-`, null, { mode }));
    }
    // The parent's counter also counted /eph.
    expect(names).toEqual([`${root}/seq-0000000001`, `${root}/seq-0000000002`, `${root}/seq-0000000003`]);
    expect((await zk.exists(names[1]!))!.ephemeralOwner).toBe(zk.sessionId);
    expect((await zk.exists(names[0]!))!.ephemeralOwner).toBe(0n);

    const box = await zk.createWithStat(`${root}/box`, null, { mode: 'container' });
    // Stored with Long.MIN_VALUE as its owner, shown to clients as 0 (DataTree.getClientEphemeralOwner).
    expect(box.stat.ephemeralOwner).toBe(0n);
    expect(await zk.create(`${root}/box2`, null, { mode: 'container' })).toBe(`${root}/box2`);
    // What makes it a container: the server removes it once its last child is gone.
    await zk.create(`${root}/box/item`, null);
    await zk.delete(`${root}/box/item`);
    await waitUntil(async () => (await zk.exists(`${root}/box`)) === null, 'the emptied container to be removed', 10_000);

    const acl = [{ perms: 1, scheme: 'world', id: 'anyone' }];
    await zk.create(`${root}/read-only`, null, { acl });
    expect((await keeperError(zk.setData(`${root}/read-only`, buf('x')))).codeName).toBe('NOAUTH');
  });

  it('multi: typed results in op order; a failure names the op and applies nothing', options, async () => {
    const zk = await connect();
    await zk.create(root, buf('0'));
    const results = await zk.multi([
      { op: 'create', path: `${root}/a`, data: buf('a') },
      { op: 'create', path: `${root}/s-`, mode: 'persistent_sequential' },
      { op: 'setData', path: root, data: buf('1'), version: 0 },
      { op: 'check', path: root, version: 1 },
      { op: 'create', path: `${root}/box`, mode: 'container' },
      { op: 'delete', path: `${root}/a` },
    ]);
    expect(results.map((r) => r.op)).toEqual(['create', 'create', 'setData', 'check', 'create', 'delete']);
    expect(results[0]).toEqual({ op: 'create', path: `${root}/a` });
    expect(results[1]).toEqual({ op: 'create', path: `${root}/s-0000000001` });
    expect(results[2]!.op === 'setData' && results[2]!.stat.version).toBe(1);
    expect(results[4]).toEqual({ op: 'create', path: `${root}/box` });
    expect(await zk.exists(`${root}/a`)).toBeNull();

    const failure = await keeperError(
      zk.multi([
        { op: 'create', path: `${root}/new` },
        { op: 'setData', path: root, data: buf('2'), version: 1 },
        { op: 'check', path: root, version: 0 },
        { op: 'delete', path: `${root}/box` },
      ]),
    );
    expect(failure).toBeInstanceOf(MultiError);
    const multiError = failure as MultiError;
    expect([multiError.codeName, multiError.opIndex, multiError.op.op, multiError.path]).toEqual(['BADVERSION', 2, 'check', root]);
    expect(multiError.message).toBe(`KeeperErrorCode = BadVersion for ${root} (multi op 3 of 4, check; no op was applied)`);
    // Nothing applied: no /new, the data and version untouched, /box still there.
    expect(await zk.exists(`${root}/new`)).toBeNull();
    const { data, stat } = await zk.getData(root);
    expect([data.toString(), stat.version]).toEqual(['1', 1]);
    expect(await zk.exists(`${root}/box`)).not.toBeNull();
    expect(await zk.multi([])).toEqual([]);
  });

  it('watches of each kind fire once: data, exists on a missing node, children, deletion', options, async () => {
    const zk = await connect();
    const other = await clients.connect(server.connectString);
    await zk.create(root, buf('0'));
    const data = recorder();
    const created = recorder();
    const children = recorder();
    const deleted = recorder();
    const existing = recorder();
    await zk.getData(root, data.watcher);
    await zk.exists(`${root}/later`, created.watcher);
    await zk.getChildren(root, children.watcher);
    await zk.exists(root, existing.watcher);

    await other.setData(root, buf('1'));
    await other.create(`${root}/later`, null);
    await zk.getData(`${root}/later`, deleted.watcher);
    await other.delete(`${root}/later`);
    // Second changes of the same kinds: no watch is left for them.
    await other.setData(root, buf('2'));
    await other.create(`${root}/again`, null);
    await drainNotifications(zk, root);

    expect(data.events).toEqual([{ type: 'dataChanged', path: root }]);
    expect(existing.events).toEqual([{ type: 'dataChanged', path: root }]);
    expect(created.events).toEqual([{ type: 'created', path: `${root}/later` }]);
    expect(children.events).toEqual([{ type: 'childrenChanged', path: root }]);
    expect(deleted.events).toEqual([{ type: 'deleted', path: `${root}/later` }]);

    // One watcher set for data and children on the same path is called once for a deletion.
    await other.create(`${root}/x`, null);
    const both = recorder();
    await zk.getData(`${root}/x`, both.watcher);
    await zk.getChildren(`${root}/x`, both.watcher);
    await other.delete(`${root}/x`);
    await drainNotifications(zk, root);
    expect(both.events).toEqual([{ type: 'deleted', path: `${root}/x` }]);
  });

  it('a watcher that throws or rejects is logged and does not break the client', options, async () => {
    const logged: string[] = [];
    const zk = await connect('', { log: (level: string, message: string) => level === 'error' && logged.push(message) });
    await zk.create(root, null);
    await zk.getData(root, () => {
      throw new Error('boom');
    });
    await zk.getChildren(root, async () => {
      throw new Error('async boom');
    });
    await zk.setData(root, buf('x'));
    await zk.create(`${root}/c`, null);
    await drainNotifications(zk, root);
    expect(logged.sort()).toEqual([`A watcher of ${root} failed: async boom`, `A watcher of ${root} failed: boom`]);
    expect((await zk.getData(root)).data.toString()).toBe('x');
  });

  it('chroot: paths are prefixed, and stripped from results and watch events', options, async () => {
    const plain = await connect();
    const chroot = `${root}/kafka`;
    await plain.mkdirp(chroot);
    const zk = await clients.connect(`${server.connectString}${chroot}`);
    expect(await zk.getChildren('/')).toEqual([]);
    expect(await zk.create('/brokers', null)).toBe('/brokers');
    expect(await zk.create('/brokers/id-', null, { mode: 'ephemeral_sequential' })).toBe('/brokers/id-0000000000');
    expect((await zk.createWithStat('/cluster', buf('c'))).path).toBe('/cluster');
    expect(await plain.getChildren(chroot)).toEqual(expect.arrayContaining(['brokers', 'cluster']));
    expect((await plain.getData(`${chroot}/cluster`)).data.toString()).toBe('c');
    expect(await zk.multi([{ op: 'create', path: '/m-', mode: 'persistent_sequential' }])).toEqual([
      { op: 'create', path: '/m-0000000002' },
    ]);
    await zk.mkdirp('/a/b');
    expect(await plain.exists(`${chroot}/a/b`)).not.toBeNull();

    const seen = recorder();
    await zk.getChildren('/brokers', seen.watcher);
    await zk.exists('/controller', seen.watcher);
    await plain.create(`${chroot}/brokers/0`, null);
    await plain.create(`${chroot}/controller`, null);
    await waitUntil(() => seen.events.length === 2, 'both events', 5000);
    expect(seen.events).toEqual([
      { type: 'childrenChanged', path: '/brokers' },
      { type: 'created', path: '/controller' },
    ]);
    const err = await keeperError(zk.getData('/missing'));
    expect(err.path).toBe('/missing');
  });

  it('mkdirp creates persistent parents and leaves existing nodes alone', options, async () => {
    const zk = await connect();
    await zk.mkdirp(`${root}/a`);
    await zk.setData(`${root}/a`, buf('kept'));
    await zk.mkdirp(`${root}/a/b/c`);
    await zk.mkdirp(`${root}/a/b/c`);
    expect((await zk.getData(`${root}/a`)).data.toString()).toBe('kept');
    expect((await zk.exists(`${root}/a/b/c`))!.ephemeralOwner).toBe(0n);
    await zk.mkdirp('/');
  });

  it('close ends the session: its ephemerals are gone at once, later calls fail with SESSIONEXPIRED', options, async () => {
    const zk = await connect();
    const other = await clients.connect(server.connectString);
    await zk.create(root, null);
    await zk.create(`${root}/eph`, null, { mode: 'ephemeral' });
    const states: string[] = [];
    zk.on('state', (s) => states.push(s));
    // A request sent just before close is still answered.
    const last = zk.setData(root, buf('last'));
    await zk.close();
    expect((await last).version).toBe(1);
    expect(states).toEqual(['closed']);
    expect(await other.exists(`${root}/eph`)).toBeNull();
    const err = await keeperError(zk.getData(root));
    expect([err.codeName, err.message]).toEqual(['SESSIONEXPIRED', `KeeperErrorCode = Session expired for ${root} (the client is closed)`]);
    await zk.close();
  });

  it('pipelines requests: many in flight, answered in order', options, async () => {
    const zk = await connect();
    await zk.create(root, null);
    const created = await Promise.all(Array.from({ length: 200 }, () => zk.create(`${root}/n-`, null, { mode: 'persistent_sequential' })));
    expect(created).toEqual(Array.from({ length: 200 }, (_, i) => `${root}/n-${String(i).padStart(10, '0')}`));
  });
});
