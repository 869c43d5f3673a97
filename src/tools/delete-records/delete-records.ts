import type { ConnectOptions } from '../../client/connect.js';
import { openBootstrap, VersionedConnection } from '../../client/versioned-connection.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultMetadataRequest } from '../../protocol/generated/apis/metadata.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { RecordsToDelete } from './offset-json.js';

export type DeleteOutcome = { topic: string; partition: number } & ({ lowWatermark: bigint } | { errorCode: number });

/**
 * DeleteRecords sent to each partition's leader (found through Metadata), as Kafka's
 * Admin.deleteRecords does; outcomes sorted by topic and partition.
 */
export async function deleteRecords(options: ConnectOptions, wanted: readonly RecordsToDelete[]): Promise<DeleteOutcome[]> {
  const { bootstrap, options: connection } = await openBootstrap(options);
  const outcomes: DeleteOutcome[] = [];
  try {
    const topics = [...new Set(wanted.map((w) => w.topic))];
    const metadata = await bootstrap.request(ApiKey.Metadata, {
      ...defaultMetadataRequest(),
      allowAutoTopicCreation: false,
      topics: topics.map((name) => ({ name, topicId: ZERO_UUID })),
    });
    const leaderOf = new Map<string, number>();
    for (const t of metadata.topics) for (const p of t.partitions) if (t.errorCode === ErrorCode.NONE) leaderOf.set(`${t.name}-${p.partitionIndex}`, p.leaderId);
    const byLeader = new Map<number, RecordsToDelete[]>();
    for (const w of wanted) {
      const leader = leaderOf.get(`${w.topic}-${w.partition}`);
      if (leader === undefined) outcomes.push({ topic: w.topic, partition: w.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
      else if (leader < 0) outcomes.push({ topic: w.topic, partition: w.partition, errorCode: ErrorCode.LEADER_NOT_AVAILABLE });
      else byLeader.set(leader, [...(byLeader.get(leader) ?? []), w]);
    }
    for (const [leader, entries] of byLeader) {
      const node = metadata.brokers.find((b) => b.nodeId === leader);
      if (node === undefined) {
        for (const e of entries) outcomes.push({ topic: e.topic, partition: e.partition, errorCode: ErrorCode.LEADER_NOT_AVAILABLE });
        continue;
      }
      const conn = node.host === bootstrap.address.host && node.port === bootstrap.address.port ? bootstrap : await VersionedConnection.open(node, connection);
      try {
        outcomes.push(...(await deleteOn(conn, entries)));
      } finally {
        if (conn !== bootstrap) conn.close();
      }
    }
  } finally {
    bootstrap.close();
  }
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
