import { RawKafkaConnection } from '../../dist/client/raw-connection.js';
import { ApiKey } from '../../dist/protocol/generated/api-info.js';

/** The sum of a topic's end offsets over its first `partitions` partitions: how many records landed. */
export async function endOffsetSum(bootstrap, topic, partitions) {
  const [host, port] = bootstrap.split(',')[0].split(':');
  const conn = await RawKafkaConnection.open(host, Number(port));
  try {
    const response = await conn.request(ApiKey.ListOffsets, 1, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: topic,
          partitions: Array.from({ length: partitions }, (_, i) => ({
            partitionIndex: i,
            currentLeaderEpoch: -1,
            timestamp: -1n,
            maxNumOffsets: 1,
          })),
        },
      ],
    });
    return response.topics[0].partitions.reduce((sum, p) => sum + Number(p.offset), 0);
  } finally {
    conn.close();
  }
}
