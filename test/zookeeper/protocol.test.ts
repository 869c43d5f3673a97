import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, EventType, OpCode } from '../../src/zookeeper/protocol/codes.js';
import { readMultiHeader, readStat, writeMultiHeader } from '../../src/zookeeper/jute/records.js';
import type { JuteWriter } from '../../src/zookeeper/jute/writer.js';
import { waitUntil } from '../helpers/wait.js';
import { tempServer, type TempServer } from './helpers.js';
import { RawClient } from './raw-client.js';

const OPEN = (w: JuteWriter): void => w.vector([0], (x) => (x.int32(31), x.ustring('world'), x.ustring('anyone')));

function create(c: RawClient, path: string, flags = 0, ttl?: number): Promise<number> {
  return c
    .call(ttl === undefined ? (flags === 4 ? OpCode.createContainer : OpCode.create) : OpCode.createTTL, (w) => {
      w.ustring(path);
      w.buffer(Buffer.from('d'));
      OPEN(w);
      w.int32(flags);
      if (ttl !== undefined) w.long(ttl);
    })
    .then((r) => r.err);
}

const exists = (c: RawClient, path: string): Promise<boolean> =>
  c.call(OpCode.exists, (w) => (w.ustring(path), w.bool(false))).then((r) => r.err === Err.OK);
const setData = (c: RawClient, path: string): Promise<number> =>
  c.call(OpCode.setData, (w) => (w.ustring(path), w.buffer(Buffer.from('x')), w.int32(-1))).then((r) => r.err);

/** Features the installed client libraries do not expose, through a raw jute client. */
describe('protocol features', () => {
  let zk: TempServer;
  beforeAll(async () => {
    zk = await tempServer({ tickTime: 100, containerCheckIntervalMs: 100 });
  });
  afterAll(() => zk?.dispose());

  it('persistent-recursive watches see descendants but never NodeChildrenChanged; persistent ones stay', async () => {
    const c = await RawClient.open(zk.port);
    await create(c, '/pw');
    expect((await c.call(OpCode.addWatch, (w) => (w.ustring('/pw'), w.int32(1)))).err).toBe(Err.OK);
    await create(c, '/pw/a');
    await setData(c, '/pw/a');
    await setData(c, '/pw/a');
    await c.call(OpCode.sync, (w) => w.ustring('/pw'));
    expect(c.events).toEqual([
      { type: EventType.NodeCreated, path: '/pw/a' },
      { type: EventType.NodeDataChanged, path: '/pw/a' },
      { type: EventType.NodeDataChanged, path: '/pw/a' },
    ]);
    expect((await c.call(OpCode.removeWatches, (w) => (w.ustring('/pw'), w.int32(3)))).err).toBe(Err.OK);
    expect((await c.call(OpCode.removeWatches, (w) => (w.ustring('/pw'), w.int32(3)))).err).toBe(Err.NOWATCHER);
    c.events.length = 0;
    await c.call(OpCode.addWatch, (w) => (w.ustring('/pw'), w.int32(0)));
    await create(c, '/pw/b');
    await setData(c, '/pw');
    await c.call(OpCode.sync, (w) => w.ustring('/pw'));
    expect(c.events).toEqual([
      { type: EventType.NodeChildrenChanged, path: '/pw' },
      { type: EventType.NodeDataChanged, path: '/pw' },
    ]);
    c.drop();
  });

  it('re-attaches a session by id and password; a wrong password gets timeout 0; setWatches fires missed events', async () => {
    const a = await RawClient.open(zk.port, { timeout: 5000 });
    await create(a, '/sess');
    await create(a, '/sess/eph', 1);
    const seen = (await a.call(OpCode.getData, (w) => (w.ustring('/sess'), w.bool(true)))).zxid;
    a.drop();
    const other = await RawClient.open(zk.port);
    await setData(other, '/sess');
    const wrong = await RawClient.open(zk.port, { sessionId: a.sessionId, passwd: Buffer.alloc(16, 7) });
    expect([wrong.timeout, wrong.sessionId]).toEqual([0, 0n]);
    const back = await RawClient.open(zk.port, { sessionId: a.sessionId, passwd: a.passwd, timeout: 5000 });
    expect(back.sessionId).toBe(a.sessionId);
    const eph = await back.call(OpCode.getEphemerals, (w) => w.ustring('/'));
    expect(eph.body.vector((r) => r.ustring())).toEqual(['/sess/eph']);
    await back.call(OpCode.setWatches, (w) => {
      w.long(seen);
      w.vector(['/sess'], (x, p) => x.ustring(p));
      w.vector([], () => undefined);
      w.vector([], () => undefined);
    });
    await waitUntil(() => back.events.length > 0, 'the missed NodeDataChanged', 5000);
    expect(back.events).toEqual([{ type: EventType.NodeDataChanged, path: '/sess' }]);
    const count = await back.call(OpCode.getAllChildrenNumber, (w) => w.ustring('/sess'));
    expect(count.body.int32()).toBe(1);
    await back.call(OpCode.closeSession);
    expect(await exists(other, '/sess/eph')).toBe(false);
    other.drop();
  });

  it('reaps emptied containers and idle TTL nodes', async () => {
    const c = await RawClient.open(zk.port);
    expect(await create(c, '/box', 4)).toBe(Err.OK);
    expect(await create(c, '/box/item')).toBe(Err.OK);
    expect(await create(c, '/ttl', 5, 200)).toBe(Err.OK);
    expect(await create(c, '/bad-ttl', 5, 0)).toBe(Err.BADARGUMENTS);
    await c.call(OpCode.delete, (w) => (w.ustring('/box/item'), w.int32(-1)));
    await waitUntil(async () => !(await exists(c, '/box')) && !(await exists(c, '/ttl')), 'the container and the TTL node to go', 5000);
    c.drop();
  });

  it('answers the creates of a multi as Apache 3.8 does: create2 with a Stat for containers only', async () => {
    const c = await RawClient.open(zk.port);
    const ops = [
      [OpCode.create2, '/mr-a', 0],
      [OpCode.createContainer, '/mr-b', 4],
      [OpCode.create, '/mr-c', 4],
      [OpCode.create, '/mr-d', 0],
    ] as const;
    const reply = await c.call(OpCode.multi, (w) => {
      for (const [type, path, flags] of ops) {
        writeMultiHeader(w, type, false, -1);
        w.ustring(path);
        w.buffer(null);
        OPEN(w);
        w.int32(flags);
      }
      writeMultiHeader(w, -1, true, -1);
    });
    const results: [number, string, bigint?][] = [];
    for (let h = readMultiHeader(reply.body); !h.done; h = readMultiHeader(reply.body)) {
      const path = reply.body.ustring();
      results.push(h.type === OpCode.create2 ? [h.type, path, readStat(reply.body).ephemeralOwner] : [h.type, path]);
    }
    expect(results).toEqual([
      [OpCode.create, '/mr-a'],
      [OpCode.create2, '/mr-b', 0n],
      [OpCode.create2, '/mr-c', 0n],
      [OpCode.create, '/mr-d'],
    ]);
    c.drop();
  });
});
