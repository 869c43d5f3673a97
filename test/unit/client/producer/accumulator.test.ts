import { describe, expect, it } from 'vitest';
import { RecordAccumulator } from '../../../../src/client/producer/accumulator.js';
import { ClusterMetadata } from '../../../../src/client/cluster-metadata.js';
import {
  type MetadataResponse,
  defaultMetadataResponse,
  defaultMetadataResponseBroker,
  defaultMetadataResponsePartition,
  defaultMetadataResponseTopic,
} from '../../../../src/protocol/generated/apis/metadata.js';
import { decodeBatch } from '../../../../src/protocol/records/record-batch.js';

const LIMITS = { maxDecompressedBytes: 1 << 24 };
const noop = (): void => {};

/** Metadata of one broker leading every partition of `topic`. */
function metadataOf(topic: string, partitions: number): ClusterMetadata {
  const metadata = new ClusterMetadata(300_000, 100, false);
  metadata.want(topic);
  const response: MetadataResponse = {
    ...defaultMetadataResponse(),
    brokers: [{ ...defaultMetadataResponseBroker(), nodeId: 0, host: 'localhost', port: 9092 }],
    topics: [
      {
        ...defaultMetadataResponseTopic(),
        name: topic,
        partitions: Array.from({ length: partitions }, (_, i) => ({
          ...defaultMetadataResponsePartition(),
          partitionIndex: i,
          leaderId: 0,
        })),
      },
    ],
  };
  metadata.update(response, 0);
  return metadata;
}

describe('RecordAccumulator', () => {
  it('gives every batch memory of its own: batches cut from one slab and reused ones keep their records apart', () => {
    const batchSize = 1024;
    const accumulator = new RecordAccumulator({
      batchSize,
      bufferMemory: 1 << 20,
      lingerMs: 0,
      compression: 'none',
      deliveryTimeoutMs: 120_000,
    });
    const metadata = metadataOf('t', 4);
    const sent = new Map<number, string[]>();
    const received = new Map<number, string[]>();
    const drainAll = (): void => {
      for (;;) {
        const batches = accumulator.drain(metadata, 0, 1 << 20, 0, () => true, noop);
        if (batches.length === 0) return;
        for (const batch of batches) {
          const values = decodeBatch(batch.wire(), LIMITS).records.map((r) => r.value!.toString());
          received.set(batch.partition, [...(received.get(batch.partition) ?? []), ...values]);
          accumulator.deallocate(batch);
        }
      }
    };
    // Two rounds: the first cuts fresh buffers from slabs, the second takes them back from the pool.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2000; i++) {
        const partition = i % 4;
        const value = `${round}-${i}-${'v'.repeat(i % 50)}`;
        const q = accumulator.queue('t', partition);
        expect(accumulator.append(q, 1000, null, Buffer.from(value), undefined, noop, 200, 0)).toBeGreaterThan(0);
        sent.set(partition, [...(sent.get(partition) ?? []), value]);
      }
      drainAll();
    }
    expect(received).toEqual(sent);
    expect(accumulator.incomplete).toBe(0);
  });
});
