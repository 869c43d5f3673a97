import { describe, expect, it } from 'vitest';
import type { BrokerVersions } from '../../../../src/client/api-versions.js';
import { listOffsets, minListOffsetsVersion, UnsupportedListOffsetsVersion } from '../../../../src/client/consumer/list-offsets.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import { ApiKey } from '../../../../src/protocol/generated/api-info.js';
import {
  defaultListOffsetsResponse,
  defaultListOffsetsResponseListOffsetsPartitionResponse,
  type ListOffsetsRequest,
} from '../../../../src/protocol/generated/apis/list-offsets.js';

const upTo = (max: number): BrokerVersions => new Map([[ApiKey.ListOffsets, { min: 0, max }]]);

describe('ListOffsets versions', () => {
  it('-3, -4 and -5 need v7, v8 and v9; everything else v1', () => {
    expect([-1n, -2n, -3n, -4n, -5n, -6n, 0n, 1700000000000n].map(minListOffsetsVersion)).toEqual([1, 1, 7, 8, 9, 1, 1, 1]);
  });

  it('refuses before sending when the broker is older than a query needs, else sends at the highest common version', async () => {
    const sent: Array<{ version: number; request: ListOffsetsRequest }> = [];
    const target = (max: number) => ({
      versions: upTo(max),
      send: async (version: number, request: ListOffsetsRequest) => {
        sent.push({ version, request });
        const partition = { ...defaultListOffsetsResponseListOffsetsPartitionResponse(), partitionIndex: 0, offset: -1n };
        return { ...defaultListOffsetsResponse(), topics: [{ name: 'a', partitions: [partition] }] };
      },
    });
    const queries = [
      { topic: 'a', partition: 0, timestamp: -5n },
      { topic: 'b', partition: 1, timestamp: -1n },
      { topic: 'a', partition: 2, timestamp: -1n },
    ];
    const refused = await listOffsets(target(8), true, queries).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnsupportedListOffsetsVersion);
    expect(refused).toMatchObject({ needed: 9, message: 'the broker does not support ListOffsets v9 or later' });
    expect(sent).toEqual([]);

    const answers = await listOffsets(target(9), true, queries);
    expect(sent.map((s) => s.version)).toEqual([9]);
    expect(sent[0]!.request.isolationLevel).toBe(1);
    expect(sent[0]!.request.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)])).toEqual([
      ['a', [0, 2]],
      ['b', [1]],
    ]);
    expect(answers.map((a) => [a.query.partition, a.errorCode, a.offset])).toEqual([
      [0, ErrorCode.NONE, -1n],
      [1, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n],
      [2, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n],
    ]);
  });

  it('a broker without ListOffsets v1 is refused even for latest', async () => {
    const target = { versions: upTo(0), send: () => Promise.reject(new Error('not sent')) };
    await expect(listOffsets(target, false, [{ topic: 'a', partition: 0, timestamp: -1n }])).rejects.toThrow('ListOffsets v1 or later');
  });
});
