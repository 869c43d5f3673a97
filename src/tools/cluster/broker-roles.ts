import { withVersionedCluster } from '../../client/versioned-cluster.js';

/** What the cluster's metadata says of one broker. */
export interface BrokerRole {
  /** Registered in ZooKeeper (listed by Metadata). */
  readonly registered: boolean;
  readonly controller: boolean;
  /** Partitions this broker leads. */
  readonly leader: number;
  /** Of those, the ones whose ISR is smaller than their replicas (Kafka's UnderReplicatedPartitions, counted by the leader). */
  readonly underReplicated: number;
}

/** The registered brokers, the controller and each broker's leadership, from one Metadata of every topic. */
export interface ClusterRoles {
  readonly controllerId: number;
  role(id: number): BrokerRole;
}

/** Asks the first of `bootstrapServers` that answers; a cluster none answers for is a one-line KtsError. */
export async function clusterRoles(bootstrapServers: string, requestTimeoutMs = 5000): Promise<ClusterRoles> {
  const properties = new Map([['request.timeout.ms', String(requestTimeoutMs)]]);
  const metadata = await withVersionedCluster({ bootstrapServer: bootstrapServers, properties }, (cluster) => cluster.metadata(null));
  const registered = new Set(metadata.brokers.map((b) => b.nodeId));
  const led = new Map<number, number>();
  const under = new Map<number, number>();
  for (const topic of metadata.topics) {
    for (const p of topic.partitions) {
      if (p.leaderId < 0) continue;
      led.set(p.leaderId, (led.get(p.leaderId) ?? 0) + 1);
      if (p.isrNodes.length < p.replicaNodes.length) under.set(p.leaderId, (under.get(p.leaderId) ?? 0) + 1);
    }
  }
  return {
    controllerId: metadata.controllerId,
    role: (id) => ({
      registered: registered.has(id),
      controller: id === metadata.controllerId,
      leader: led.get(id) ?? 0,
      underReplicated: under.get(id) ?? 0,
    }),
  };
}
