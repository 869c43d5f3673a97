import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../../helpers/requirements.js';
import { startApacheEnsemble, type ApacheEnsemble } from '../apache-zookeeper.js';
import { waitUntil } from '../../helpers/wait.js';
import { buf, Clients, recorder } from './harness.js';

describe('ZooKeeperClient against a 3-server Apache ZooKeeper ensemble', needs('apache-zookeeper'), () => {
  let ensemble: ApacheEnsemble;
  const clients = new Clients();

  beforeAll(async () => {
    ensemble = await startApacheEnsemble(3);
  }, 90_000);
  afterAll(async () => {
    await clients.closeAll();
    await ensemble?.stop();
  });

  it('fails over to another member with the same session, its ephemerals and its watches', async () => {
    const zk = await clients.connect(ensemble.connectString, { sessionTimeoutMs: 10_000 });
    await zk.create('/failover', buf('0'));
    await zk.create('/failover/eph', null, { mode: 'ephemeral' });
    const data = recorder();
    await zk.getData('/failover', data.watcher);
    const id = zk.sessionId;
    const first = zk.connectedServer;
    const member = ensemble.members.find((m) => m.connectString === first)!;
    const states: string[] = [];
    zk.on('state', (s) => states.push(s));

    await member.stop();
    await waitUntil(() => zk.connectedServer !== first, 'the client to notice', 10_000);
    // A write goes through once the session is back on a member of the remaining quorum.
    const stat = await zk.setData('/failover', buf('1'));
    expect(stat.version).toBe(1);
    expect(zk.connectedServer).not.toBe(first);
    expect(ensemble.connectString.split(',')).toContain(zk.connectedServer);
    expect(zk.sessionId).toBe(id);
    expect(states).toEqual(['disconnected', 'connected']);
    expect((await zk.exists('/failover/eph'))?.ephemeralOwner).toBe(id);
    await waitUntil(() => data.events.length === 1, 'the data watch set before the failover', 10_000);
    expect(data.events).toEqual([{ type: 'dataChanged', path: '/failover' }]);
  }, 60_000);
});
