import type { ConnectOptions } from '../../client/connect-options.js';
import { openBootstrap, VersionedConnection } from '../../client/versioned-connection.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultMetadataRequest } from '../../protocol/generated/apis/metadata.js';
import { apiVersionEntries, type ApiVersionEntry } from './api-versions-text.js';

export interface BrokerNode {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

export type BrokerApiVersions = { node: BrokerNode } & ({ apis: ApiVersionEntry[] } | { error: string });

/** Kafka's Node.toString: `host:port (id: 0 rack: null)`. */
export function nodeText(node: BrokerNode): string {
  return `${node.host}:${node.port} (id: ${node.id} rack: ${node.rack ?? 'null'})`;
}

/** Every broker of the cluster (from Metadata, by id) with the API versions it advertises. */
export async function brokerApiVersions(options: ConnectOptions): Promise<BrokerApiVersions[]> {
  const { bootstrap, options: connection } = await openBootstrap(options);
  let nodes: BrokerNode[];
  try {
    const metadata = await bootstrap.request(ApiKey.Metadata, { ...defaultMetadataRequest(), topics: [], allowAutoTopicCreation: false });
    nodes = metadata.brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port, rack: b.rack })).sort((a, b) => a.id - b.id);
  } finally {
    bootstrap.close();
  }
  return Promise.all(
    nodes.map(async (node): Promise<BrokerApiVersions> => {
      try {
        const conn = await VersionedConnection.open(node, connection);
        conn.close();
        return { node, apis: apiVersionEntries(conn.versions) };
      } catch (err) {
        return { node, error: (err as Error).message };
      }
    }),
  );
}
