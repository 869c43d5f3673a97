import { clusterRoles } from '../../tools/cluster/broker-roles.js';
import { KtsError } from '../../util/errors.js';
import { describeStopped, stopServers } from '../daemon/stop-servers.js';
import { readLayout, type ClusterLayout } from './cluster-layout.js';
import { runningBroker, runningBootstrap, runningZooKeeper } from './cluster-nodes.js';

/** The cluster recorded in `dir`; none is a one-line error. */
export function clusterIn(dir: string): ClusterLayout {
  const layout = readLayout(dir);
  if (!layout) throw new KtsError(`Error: no cluster in ${dir} (start one with kts cluster start)`);
  return layout;
}

/**
 * A controlled rolling stop: one broker at a time, each moving its leadership away (controlled
 * shutdown) and exiting before the next is asked, the controller last so that the controller moves
 * once at most; then the bundled ZooKeeper.
 */
export async function stopCluster(dir: string, print: (line: string) => void): Promise<void> {
  const layout = clusterIn(dir);
  const bootstrap = runningBootstrap(layout);
  const controllerId =
    bootstrap === ''
      ? -1
      : await clusterRoles(bootstrap).then(
          (r) => r.controllerId,
          () => -1,
        );
  const order = [...layout.brokers].sort((a, b) => Number(a.id === controllerId) - Number(b.id === controllerId) || a.id - b.id);
  for (const broker of order) {
    const running = runningBroker(broker);
    if (!running) {
      print(`Broker ${broker.id} is not running`);
      continue;
    }
    await stopServers('kafka', (e) => e.pid === running.pid);
    print(`Stopped broker ${broker.id} (pid ${running.pid}, port ${broker.port})`);
  }
  if (layout.zookeeper.bundled) {
    const running = runningZooKeeper(layout);
    if (!running) print('ZooKeeper is not running');
    else for (const entry of await stopServers('zookeeper', (e) => e.pid === running.pid)) print(describeStopped(entry));
  }
}
