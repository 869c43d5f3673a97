import { RawKafkaConnection } from '../../dist/client/raw-connection.js';
import { ApiKey } from '../../dist/protocol/generated/api-info.js';
import { defaultCreateTopicsRequest, defaultCreateTopicsRequestCreatableTopic } from '../../dist/protocol/generated/apis/create-topics.js';

/** Creates `names`, each with `partitions` partitions and the broker's default replication factor; throws if any was not created. */
export async function createTopics(bootstrap, names, partitions) {
  const [host, port] = bootstrap.split(',')[0].split(':');
  const conn = await RawKafkaConnection.open(host, Number(port));
  try {
    const response = await conn.request(ApiKey.CreateTopics, 7, {
      ...defaultCreateTopicsRequest(),
      topics: names.map((name) => ({
        ...defaultCreateTopicsRequestCreatableTopic(),
        name,
        numPartitions: partitions,
        replicationFactor: -1,
      })),
    });
    const failed = response.topics.filter((t) => t.errorCode !== 0);
    if (failed.length > 0) throw new Error(`CreateTopics: ${failed.map((t) => `${t.name} error ${t.errorCode}`).join(', ')}`);
  } finally {
    conn.close();
  }
}
