import { join } from 'node:path';
import { runningServers, type ServerEntry } from '../daemon/server-registry.js';
import { brokerAddress, type ClusterBroker, type ClusterLayout } from './cluster-layout.js';

/** The running kts broker started with this broker's server.properties, if any. */
export function runningBroker(broker: ClusterBroker): ServerEntry | undefined {
  return runningServers('kafka').find((e) => e.config === broker.config);
}

/** The running bundled ZooKeeper of the cluster, if it has one and it runs. */
export function runningZooKeeper(layout: ClusterLayout): ServerEntry | undefined {
  const { zookeeper } = layout;
  return zookeeper.bundled ? runningServers('zookeeper').find((e) => e.config === zookeeper.config) : undefined;
}

/** The bootstrap list of the brokers that run. */
export function runningBootstrap(layout: ClusterLayout): string {
  return layout.brokers
    .filter((b) => runningBroker(b) !== undefined)
    .map(brokerAddress)
    .join(',');
}

/** Where each node's output goes: `<dir>/logs/`. */
export function nodeLog(dir: string, name: string): string {
  return join(dir, 'logs', `${name}.out`);
}

export function zookeeperConnect(layout: ClusterLayout): string {
  return layout.zookeeper.bundled ? `localhost:${layout.zookeeper.port}` : layout.zookeeper.connect;
}
