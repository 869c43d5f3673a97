import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import type { CompressionName } from '../../../src/protocol/records/batch-header.js';
import type { RecordInput } from '../../../src/protocol/records/record.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { withRecordBytes } from '../../unit/protocol/records/crafted-batch.js';
import { connect, fetchAll, produce } from './helpers.js';

const CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const WINDOW_MS = 60 * 60_000;

function records(n: number, extra: (i: number) => Partial<RecordInput> = () => ({})): RecordInput[] {
  const now = BigInt(Date.now());
  return Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: now, ...extra(i) }));
}

describe('Produce validates every record of compressed and uncompressed batches', () => {
  let broker: StartedBroker;
  let conn: RawKafkaConnection;

  beforeAll(async () => {
    broker = await startBroker({ log: () => {} });
    conn = await connect(broker);
    const topic = (name: string, configs: Record<string, string>) => ({
      name,
      numPartitions: CODECS.length,
      replicationFactor: 1,
      assignments: [],
      configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
    });
    const created = await conn.request(ApiKey.CreateTopics, 7, {
      timeoutMs: 5000,
      validateOnly: false,
      topics: [
        topic('plain', {}),
        topic('table', { 'cleanup.policy': 'compact' }),
        topic('clock', { 'message.timestamp.before.max.ms': String(WINDOW_MS), 'message.timestamp.after.max.ms': String(WINDOW_MS) }),
      ],
    });
    expect(created.topics.map((t) => t.errorCode)).toEqual([0, 0, 0]);
  });

  afterAll(async () => {
    conn?.close();
    await broker?.stop();
  });

  it.each(CODECS.map((codec, partition) => [codec, partition] as const))(
    '%s: answers the partition error and record_errors, appends nothing, and keeps the connection',
    async (codec, partition) => {
      const wrongCount = await produce(
        conn,
        'plain',
        partition,
        withRecordBytes(codec, records(3), (raw) => raw, 4),
      );
      expect(wrongCount).toMatchObject({ errorCode: ErrorCode.INVALID_RECORD, recordErrors: [] });
      expect(wrongCount.errorMessage).toContain('declares 4 records but holds 3');
      const truncated = await produce(
        conn,
        'plain',
        partition,
        withRecordBytes(codec, records(3), (raw) => raw.subarray(0, raw.length - 2)),
      );
      expect(truncated.errorCode).toBe(ErrorCode.INVALID_RECORD);
      const shuffled = encodeBatch({ records: records(3, (i) => ({ offsetDelta: [0, 2, 1][i] })), lastOffsetDelta: 2, compression: codec });
      expect((await produce(conn, 'plain', partition, shuffled)).errorCode).toBe(ErrorCode.INVALID_RECORD);

      const keyless = await produce(conn, 'table', partition, {
        records: records(3, (i) => (i === 1 ? { key: null } : {})),
        compression: codec,
      });
      expect(keyless).toMatchObject({
        errorCode: ErrorCode.INVALID_RECORD,
        recordErrors: [
          {
            batchIndex: 1,
            batchIndexErrorMessage: `Compacted topic cannot accept message without key in topic partition table-${partition}`,
          },
        ],
      });
      expect(keyless.errorMessage).toMatch(/^One or more records have been rejected due to 1 record errors in total/);

      const stale = BigInt(Date.now() - 2 * WINDOW_MS);
      const late = await produce(conn, 'clock', partition, {
        records: records(3, (i) => (i === 1 ? { timestamp: stale } : {})),
        compression: codec,
      });
      expect(late).toMatchObject({
        errorCode: ErrorCode.INVALID_TIMESTAMP,
        errorMessage: 'One or more records have been rejected due to invalid timestamp',
      });
      expect(late.recordErrors).toEqual([
        {
          batchIndex: 1,
          batchIndexErrorMessage: expect.stringMatching(new RegExp(`^Timestamp ${stale} of message with offset 1 is out of range`)),
        },
      ]);

      // Nothing of the refused batches was written: the first good batch lands at offset 0.
      for (const topic of ['plain', 'table', 'clock']) {
        const good = await produce(conn, topic, partition, { records: records(2), compression: codec });
        expect(good).toMatchObject({ errorCode: 0, baseOffset: 0n, recordErrors: [] });
        expect((await fetchAll(conn, topic, partition)).map((r) => r.value?.toString())).toEqual(['v0', 'v1']);
      }
    },
  );

  it('answers Produce v7 (no record_errors field) with the error code alone', async () => {
    const keyless = encodeBatch({ records: records(2, () => ({ key: null })), compression: 'lz4' });
    const response = await conn.request(ApiKey.Produce, 7, {
      ...defaultProduceRequest(),
      acks: 1,
      timeoutMs: 5000,
      topicData: [{ name: 'table', partitionData: [{ index: 0, records: keyless }] }],
    });
    expect(response.responses[0]!.partitionResponses[0]).toMatchObject({
      errorCode: ErrorCode.INVALID_RECORD,
      recordErrors: [],
      errorMessage: null,
    });
  });
});
