import { describe, expect, it } from 'vitest';
import { parseConnectString, toClientPath, toServerPath } from '../../../src/zookeeper/client/connect-string.js';
import { HostList, SPIN_DELAY_MS } from '../../../src/zookeeper/client/host-list.js';
import { ClientWatches, type Watcher } from '../../../src/zookeeper/client/watches.js';

describe('parseConnectString (ZooKeeper ConnectStringParser rules, Kafka zookeeper.connect)', () => {
  it('takes hosts, default port 2181, IPv6 in brackets, and the chroot after the first slash', () => {
    expect(parseConnectString('h1:2181,h2:2182,h3/kafka/cluster-a')).toEqual({
      servers: [
        { host: 'h1', port: 2181 },
        { host: 'h2', port: 2182 },
        { host: 'h3', port: 2181 },
      ],
      chroot: '/kafka/cluster-a',
    });
    expect(parseConnectString(' [::1]:2183, 127.0.0.1: ,[fe80::1]/')).toEqual({
      servers: [
        { host: '::1', port: 2183 },
        { host: '127.0.0.1', port: 2181 },
        { host: 'fe80::1', port: 2181 },
      ],
      chroot: undefined,
    });
  });

  it('rejects what ZooKeeper rejects, in one line', () => {
    expect(() => parseConnectString('  ')).toThrow('The ZooKeeper connect string is empty');
    expect(() => parseConnectString('/kafka')).toThrow('No ZooKeeper server in connect string /kafka');
    expect(() => parseConnectString('h:abc')).toThrow('Invalid port abc in ZooKeeper connect string h:abc');
    expect(() => parseConnectString('h:0')).toThrow('Invalid port 0');
    expect(() => parseConnectString(':2181')).toThrow('Missing host in :2181 of ZooKeeper connect string :2181');
    expect(() => parseConnectString('h/a//b')).toThrow('Invalid chroot path /a//b in ZooKeeper connect string h/a//b');
  });

  it('prefixes client paths with the chroot and strips it from server paths', () => {
    expect(toServerPath('/kafka', '/')).toBe('/kafka');
    expect(toServerPath('/kafka', '/brokers/ids')).toBe('/kafka/brokers/ids');
    expect(toServerPath(undefined, '/brokers')).toBe('/brokers');
    expect(toClientPath('/kafka', '/kafka')).toBe('/');
    expect(toClientPath('/kafka', '/kafka/brokers')).toBe('/brokers');
    expect(toClientPath('/kafka', '/kafkaesque')).toBe('/kafkaesque');
    expect(toClientPath(undefined, '/kafka/x')).toBe('/kafka/x');
  });
});

describe('HostList (StaticHostProvider)', () => {
  const servers = [1, 2, 3].map((i) => ({ host: `h${i}`, port: 2181 }));

  it('shuffles the ensemble and walks it round-robin, waiting only after a full round without a session', () => {
    const seeded = [0.9, 0.1];
    const hosts = new HostList(servers, () => seeded.shift() ?? 0);
    const order = [hosts.next(), hosts.next(), hosts.next()];
    expect(order.map((o) => o.server.host)).toEqual(['h2', 'h1', 'h3']);
    expect(order.map((o) => o.delayMs)).toEqual([0, 0, 0]);
    // Back to the first one: every server failed once.
    expect(hosts.next()).toEqual({ server: { host: 'h2', port: 2181 }, delayMs: SPIN_DELAY_MS });
    hosts.connected(); // on h2
    expect(hosts.next()).toEqual({ server: { host: 'h1', port: 2181 }, delayMs: 0 });
    expect(hosts.next().delayMs).toBe(0);
    expect(hosts.next()).toEqual({ server: { host: 'h2', port: 2181 }, delayMs: SPIN_DELAY_MS });
  });

  it('spreads clients over the servers', () => {
    const firsts = new Set(Array.from({ length: 200 }, () => new HostList(servers).next().server.host));
    expect(firsts).toEqual(new Set(['h1', 'h2', 'h3']));
  });
});

describe('ClientWatches (ZKWatchManager.materialize)', () => {
  it('gives each event the watches it consumes, each watcher once', () => {
    const watches = new ClientWatches();
    const calls: string[] = [];
    const w =
      (name: string): Watcher =>
      () =>
        calls.push(name);
    const shared = w('shared');
    watches.add('data', '/a', w('data'));
    watches.add('exist', '/a', w('exist'));
    watches.add('child', '/a', w('child'));
    watches.add('data', '/b', shared);
    watches.add('child', '/b', shared);

    expect(watches.take({ type: 'childrenChanged', path: '/a' }).size).toBe(1);
    expect(watches.take({ type: 'dataChanged', path: '/a' }).size).toBe(2);
    expect(watches.take({ type: 'created', path: '/a' }).size).toBe(0);
    expect(watches.paths('data')).toEqual(['/b']);
    expect([...watches.take({ type: 'deleted', path: '/b' })]).toEqual([shared]);
    expect([watches.paths('data'), watches.paths('exist'), watches.paths('child')]).toEqual([[], [], []]);
  });
});
