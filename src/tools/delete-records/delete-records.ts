import type { ConnectOptions } from '../../client/connect-options.js';
import { routeToLeaders } from '../../client/leader-routes.js';
import { withVersionedCluster } from '../../client/versioned-cluster.js';
import type { VersionedConnection } from '../../client/versioned-connection.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { RecordsToDelete } from './offset-json.js';

export type DeleteOutcome = { topic: string; partition: number } & ({ lowWatermark: bigint } | { errorCode: number });

/**
 * DeleteRecords sent to each partition's leader (found through Metadata), as Kafka's
 * Admin.deleteRecords does; outcomes sorted by topic and partition.
 */
export async function deleteRecords(options: ConnectOptions, wanted: readonly RecordsToDelete[]): Promise<DeleteOutcome[]> {
  const outcomes = await withVersionedCluster(options, async (cluster) => {
    const metadata = await cluster.metadata([...new Set(wanted.map((w) => w.topic))]);
    const { routes, unrouted } = routeToLeaders(metadata, wanted);
    const answered = await Promise.all(routes.map(async (route) => deleteOn(await cluster.connection(route.leader), route.partitions)));
    return [...unrouted.map(({ topic, partition, errorCode }) => ({ topic, partition, errorCode })), ...answered.flat()];
  });
  return outcomes.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

async function deleteOn(conn: VersionedConnection, entries: readonly RecordsToDelete[]): Promise<DeleteOutcome[]> {
  const topics = [...new Set(entries.map((e) => e.topic))];
  const response = await conn.request(ApiKey.DeleteRecords, {
    timeoutMs: 30_000,
    topics: topics.map((name) => ({
      name,
      partitions: entries.filter((e) => e.topic === name).map((e) => ({ partitionIndex: e.partition, offset: e.offset })),
    })),
  });
  return response.topics.flatMap((t) =>
    t.partitions.map((p) =>
      p.errorCode === ErrorCode.NONE
        ? { topic: t.name, partition: p.partitionIndex, lowWatermark: p.lowWatermark }
        : { topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode },
    ),
  );
}
