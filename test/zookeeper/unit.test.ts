import { appendFileSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/zookeeper/config.js';
import { JuteReader } from '../../src/zookeeper/jute/reader.js';
import { JuteWriter } from '../../src/zookeeper/jute/writer.js';
import { Database } from '../../src/zookeeper/persistence/database.js';
import { VERSION_DIR } from '../../src/zookeeper/persistence/file-names.js';
import { purge } from '../../src/zookeeper/persistence/purge.js';
import { Err, KeeperError, OpCode } from '../../src/zookeeper/protocol/codes.js';
import { OPEN_ACL } from '../../src/zookeeper/protocol/acl.js';
import { isValidPath } from '../../src/zookeeper/protocol/path.js';
import { digestId } from '../../src/zookeeper/tree/acl.js';
import { readTxn, writeTxn } from '../../src/zookeeper/txn/txn-codec.js';
import { Prep } from '../../src/zookeeper/txn/prep.js';
import type { Txn } from '../../src/zookeeper/txn/txn.js';
import { tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function openDb(dir: string, snapCount = 1000): Database {
  return Database.open({
    dataDir: dir,
    dataLogDir: dir,
    snapCount,
    forceSync: true,
    onFailure: (e) => {
      throw e;
    },
  });
}

const owner = { sessionId: 1n, ids: [] };
const create = (path: string, flags = 0) => ({ path, data: Buffer.from('d'), acl: [...OPEN_ACL], flags, ttl: -1 });

describe('config', () => {
  it('applies ZooKeeper defaults and derives session bounds from tickTime', () => {
    const { config, warnings } = parseConfig(
      new Map([
        ['dataDir', '/d'],
        ['clientPort', '2181'],
        ['tickTime', '1000'],
        ['admin.enableServer', 'false'],
      ]),
    );
    expect(config).toMatchObject({
      clientPort: 2181,
      dataLogDir: '/d',
      minSessionTimeout: 2000,
      maxSessionTimeout: 20000,
      maxClientCnxns: 60,
      maxBuffer: 0xfffff,
    });
    expect(warnings).toEqual([]);
  });

  it('names unknown keys and server.N in one warning each; rejects bad values in one line', () => {
    const { warnings } = parseConfig(
      new Map([
        ['dataDir', '/d'],
        ['clientPort', '1'],
        ['server.1', 'h:2888:3888'],
        ['bogus', '1'],
        ['initLimit', '5'],
      ]),
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/server\.1 .*standalone/);
    expect(warnings[1]).toMatch(/bogus/);
    expect(() =>
      parseConfig(
        new Map([
          ['dataDir', '/d'],
          ['clientPort', 'x'],
        ]),
      ),
    ).toThrow(/^Invalid value for clientPort: 'x'/);
    expect(() => parseConfig(new Map([['clientPort', '1']]))).toThrow('dataDir is not set');
  });
});

describe('paths, ACLs and jute', () => {
  it('validates paths as PathUtils does', () => {
    for (const ok of ['/', '/a', '/a/b-1', '/zookeeper/quota']) expect(isValidPath(ok)).toBe(true);
    for (const bad of ['', 'a', '/a/', '//a', '/a//b', '/a/./b', '/a/..', '/a\u0000b', '/\u0001']) expect(isValidPath(bad)).toBe(false);
  });

  it('computes digest ids like DigestAuthenticationProvider', () => {
    // The same value Apache ZooKeeper and kazoo's make_digest_acl produce for u:p.
    expect(digestId('u:p')).toBe('u:Jq7wMyA/w2Vd5WIDAKdu4OIIFEQ=');
  });

  it('round-trips every txn through the log codec', () => {
    const body = fc.oneof(
      fc.record({ type: fc.constant('delete' as const), path: fc.string() }),
      fc.record({
        type: fc.constant('setData' as const),
        path: fc.string(),
        data: fc.uint8Array().map((a) => Buffer.from(a)),
        version: fc.integer(),
      }),
      fc.record({ type: fc.constant('closeSession' as const), sessionId: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }),
      fc.record({ type: fc.constant('error' as const), err: fc.integer() }),
    );
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.array(body, { maxLength: 4 }), (zxid, time, ops) => {
        const txn: Txn = { zxid, time, body: { type: 'multi', ops } };
        const w = new JuteWriter();
        writeTxn(w, txn);
        expect(readTxn(new JuteReader(w.toBuffer()))).toEqual(txn);
      }),
    );
  });
});

describe('prep', () => {
  it('sees earlier ops of the same multi, and checks in ZooKeeper order', () => {
    const dir = tempDir('prep');
    dirs.push(dir);
    const db = openDb(dir);
    const prep = new Prep(db.tree, owner);
    prep.create(OpCode.create, create('/a'));
    expect(() => prep.create(OpCode.create, create('/a'))).toThrow(KeeperError);
    prep.create(OpCode.create, create('/a/b', 1));
    expect(() => prep.create(OpCode.create, create('/a/b/c'))).toThrow(expect.objectContaining({ code: Err.NOCHILDRENFOREPHEMERALS }));
    expect(() => prep.delete({ path: '/a', version: -1 })).toThrow(expect.objectContaining({ code: Err.NOTEMPTY }));
    expect(() => prep.delete({ path: '/zookeeper', version: -1 })).toThrow(expect.objectContaining({ code: Err.BADARGUMENTS }));
    expect(() => prep.create(OpCode.create, create('/x/y'))).toThrow(expect.objectContaining({ code: Err.NONODE }));
    expect(() => prep.create(OpCode.create, { ...create('/t', 5), ttl: 100 })).toThrow(expect.objectContaining({ code: Err.BADARGUMENTS }));
    expect(prep.create(OpCode.createTTL, { ...create('/t', 5), ttl: 100 })).toMatchObject({ type: 'create', path: '/t' });
    // Nothing reached the tree: prep only plans.
    expect(db.tree.get('/a')).toBeUndefined();
  });
});

describe('persistence', () => {
  it('replays the log after a torn tail and keeps writing after it', async () => {
    const dir = tempDir('log');
    dirs.push(dir);
    let db = openDb(dir);
    for (let i = 0; i < 10; i++) db.commit(new Prep(db.tree, owner).create(OpCode.create, create(`/n${i}`)));
    await new Promise<void>((r) => db.whenDurable(r));
    await db.close();
    const logDir = join(dir, VERSION_DIR);
    const [log] = readdirSync(logDir).filter((f) => f.startsWith('log.'));
    const path = join(logDir, log!);
    const intact = statSync(path).size;
    appendFileSync(path, Buffer.from([0, 0, 0, 40, 1, 2, 3])); // a record cut short by a crash
    db = openDb(dir);
    expect([...db.tree.get('/')!.children].filter((c) => c.startsWith('n'))).toHaveLength(10);
    expect(statSync(path).size).toBe(intact);
    db.commit(new Prep(db.tree, owner).create(OpCode.create, create('/after')));
    await db.close();
    // Corrupt the middle of the first file: only the intact prefix is replayed.
    truncateSync(path, statSync(path).size - 3);
    db = openDb(dir);
    expect(db.tree.get('/n8')).toBeDefined();
    expect(db.tree.get('/n9')).toBeUndefined();
    expect(db.tree.get('/after')).toBeDefined();
    await db.close();
  });

  it('snapshots every snapCount txns and purges all but the newest snapshots', async () => {
    const dir = tempDir('snap');
    dirs.push(dir);
    let db = openDb(dir, 5);
    for (let i = 0; i < 32; i++) {
      db.commit(new Prep(db.tree, owner).create(OpCode.create, create(`/s${i}`)));
      await new Promise<void>((r) => db.whenDurable(r));
      // A snapshot due while the last one is still being written would be skipped.
      await db.snapshotWritten();
    }
    await db.close();
    const snapDir = join(dir, VERSION_DIR);
    expect(readdirSync(snapDir).filter((f) => f.startsWith('snapshot.')).length).toBe(6);
    const removed = purge(snapDir, snapDir, 3);
    const left = readdirSync(snapDir);
    expect(left.filter((f) => f.startsWith('snapshot.'))).toHaveLength(3);
    expect(removed.some((p) => p.includes('/log.'))).toBe(true);
    db = openDb(dir);
    for (let i = 0; i < 32; i++) expect(db.tree.get(`/s${i}`), `/s${i}`).toBeDefined();
    await db.close();
  });
});
