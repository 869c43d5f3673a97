import { type BrokerRole, clusterRoles, type ClusterRoles } from '../../tools/cluster/broker-roles.js';
import { brokerAddress } from './cluster-layout.js';
import { runningBroker, runningBootstrap, runningZooKeeper, zookeeperConnect } from './cluster-nodes.js';
import { clusterIn } from './cluster-stop.js';

/** `up`: running and registered; `starting`: running, not registered (yet); `down`: not running. */
export type NodeState = 'up' | 'starting' | 'down';

export interface BrokerStatus {
  id: number;
  pid: number | null;
  listener: string;
  state: NodeState;
  controller: boolean;
  partitionsLed: number;
  underReplicated: number;
  config: string;
}

export interface ClusterStatus {
  zookeeper: { connect: string; bundled: boolean; pid: number | null; state: NodeState | 'external' };
  brokers: BrokerStatus[];
}

const UNKNOWN: BrokerRole = { registered: false, controller: false, leader: 0, underReplicated: 0 };

/** Each node of the cluster in `dir`: its process from the registry, its role from one Metadata of the running brokers. */
export async function clusterStatus(dir: string): Promise<ClusterStatus> {
  const layout = clusterIn(dir);
  const bootstrap = runningBootstrap(layout);
  const roles: ClusterRoles | undefined = bootstrap === '' ? undefined : await clusterRoles(bootstrap).catch(() => undefined);
  const zk = runningZooKeeper(layout);
  return {
    zookeeper: {
      connect: zookeeperConnect(layout),
      bundled: layout.zookeeper.bundled,
      pid: zk?.pid ?? null,
      state: layout.zookeeper.bundled ? (zk ? 'up' : 'down') : 'external',
    },
    brokers: layout.brokers.map((broker) => {
      const entry = runningBroker(broker);
      const role = (entry && roles?.role(broker.id)) || UNKNOWN;
      return {
        id: broker.id,
        pid: entry?.pid ?? null,
        listener: brokerAddress(broker),
        state: entry ? (role.registered ? 'up' : 'starting') : 'down',
        controller: role.controller,
        partitionsLed: role.leader,
        underReplicated: role.underReplicated,
        config: broker.config,
      };
    }),
  };
}
