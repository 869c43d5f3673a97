import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import {
  defaultFetchRequest,
  defaultFetchRequestFetchPartition,
  defaultFetchRequestFetchTopic,
} from '../../../src/protocol/generated/apis/fetch.js';
import { defaultProduceRequest, type ProduceResponsePartitionProduceResponse } from '../../../src/protocol/generated/apis/produce.js';
import { iterateBatches } from '../../../src/protocol/records/batch-iterator.js';
import { decodeBatch, encodeBatch, type BatchInput } from '../../../src/protocol/records/record-batch.js';
import type { DecodedRecord } from '../../../src/protocol/records/record.js';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';

/**
 * A broker with Kafka's ACL authorizer behind one SASL_PLAINTEXT listener, PLAIN logins for
 * `passwords` (user to password); `User:admin` is its super user.
 */
export function startAuthorizingBroker(passwords: Record<string, string>, config: Record<string, string> = {}): Promise<StartedBroker> {
  const users = Object.entries(passwords).map(([user, password]) => `user_${user}="${password}"`);
  return startBroker({
    config: {
      listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
      'security.inter.broker.protocol': 'SASL_PLAINTEXT',
      'sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required ${users.join(' ')};`,
      'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
      'super.users': 'User:admin',
      ...config,
    },
  });
}

/** A tool's --command-config file, in the broker's log dir, logging in to it as `user` with PLAIN. */
export function plainCommandConfig(broker: StartedBroker, user: string, password: string): string {
  const path = join(broker.logDir, `${user}.properties`);
  writeFileSync(
    path,
    `security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${password}";\n`,
  );
  return path;
}

export function connect(broker: StartedBroker): Promise<RawKafkaConnection> {
  return RawKafkaConnection.open(broker.host, broker.port, { clientId: 'broker-test' });
}

/** Produces one batch with the latest Produce version; returns the partition's answer. */
export async function produce(
  conn: RawKafkaConnection,
  topic: string,
  partition: number,
  batch: BatchInput | Buffer,
  acks = -1,
): Promise<ProduceResponsePartitionProduceResponse> {
  const records = Buffer.isBuffer(batch) ? batch : encodeBatch(batch);
  const response = await conn.request(ApiKey.Produce, 11, {
    ...defaultProduceRequest(),
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
  return response.responses[0]!.partitionResponses[0]!;
}

/** Every record of a partition from `from` on, read with plain Fetch v12 requests (no session). */
export async function fetchAll(conn: RawKafkaConnection, topic: string, partition: number, from = 0n): Promise<DecodedRecord[]> {
  const records: DecodedRecord[] = [];
  for (let offset = from, rounds = 0; rounds < 10_000; rounds++) {
    const response = await conn.request(ApiKey.Fetch, 12, {
      ...defaultFetchRequest(),
      maxBytes: 1 << 20,
      topics: [fetchTopic(topic, [{ partition, fetchOffset: offset }])],
    });
    const data = response.responses[0]!.partitions[0]!;
    if (data.errorCode !== 0) throw new Error(`fetch error ${data.errorCode}`);
    // A compacted log may hold batches emptied by the cleaner: the next offset follows the batch, not its records.
    let next = offset;
    for (const entry of iterateBatches(data.records ?? Buffer.alloc(0))) {
      const batch = decodeBatch(entry, { maxDecompressedBytes: 1 << 26 });
      for (const record of batch.records) {
        if (record.offset >= offset) records.push(record);
      }
      next = batch.baseOffset + BigInt(batch.lastOffsetDelta) + 1n;
    }
    if (next >= data.highWatermark) return records;
    offset = next;
  }
  throw new Error('fetchAll did not reach the high watermark');
}

/** A Fetch request topic with partitions at the given offsets (1 MiB each). */
export function fetchTopic(topic: string, partitions: { partition: number; fetchOffset: bigint }[], topicId?: string) {
  return {
    ...defaultFetchRequestFetchTopic(),
    topic,
    ...(topicId ? { topicId } : {}),
    partitions: partitions.map((p) => ({ ...defaultFetchRequestFetchPartition(), partitionMaxBytes: 1 << 20, ...p })),
  };
}

export { runProcess, type ProcessResult } from '../../helpers/process.js';
