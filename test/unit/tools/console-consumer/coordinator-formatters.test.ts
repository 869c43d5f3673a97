import { describe, expect, it } from 'vitest';
import type { ConsumedRecord } from '../../../../src/tools/common/consumed-record.js';
import { coordinatorFormatter } from '../../../../src/tools/console-consumer/coordinator-formatters.js';
import { OutputChunks } from '../../../../src/tools/console-consumer/output-chunks.js';
import { encodeGroupMetadataKey } from '../../../../src/protocol/generated/group-coordinator/group-metadata-key.js';
import { encodeOffsetCommitKey } from '../../../../src/protocol/generated/group-coordinator/offset-commit-key.js';
import {
  defaultOffsetCommitValue,
  encodeOffsetCommitValue,
} from '../../../../src/protocol/generated/group-coordinator/offset-commit-value.js';
import { encodeTransactionLogKey } from '../../../../src/protocol/generated/transaction-coordinator/transaction-log-key.js';
import { Writer } from '../../../../src/protocol/primitives/writer.js';

/** A coordinator record's bytes: the version, then the message in that version. */
function versioned(version: number, encode: (w: Writer) => void): Buffer {
  const w = new Writer();
  w.int16(version);
  encode(w);
  return w.toBuffer();
}

const record = (key: Buffer | null, value: Buffer | null): ConsumedRecord => ({
  topic: '__consumer_offsets',
  partition: 0,
  offset: '0',
  timestamp: '0',
  timestampType: 'CreateTime',
  key,
  value,
  headers: [],
});

function print(kind: Parameters<typeof coordinatorFormatter>[0], r: ConsumedRecord): string {
  const out = new OutputChunks();
  coordinatorFormatter(kind)(r, out);
  return out.take().toString();
}

const commitKey = versioned(1, (w) => encodeOffsetCommitKey(w, { group: 'g', topic: 't', partition: 3 }, 1));
const commitValue = versioned(3, (w) =>
  encodeOffsetCommitValue(w, { ...defaultOffsetCommitValue(), offset: 42n, leaderEpoch: 5, metadata: '', commitTimestamp: 1000n }, 3),
);
const groupKey = versioned(2, (w) => encodeGroupMetadataKey(w, { group: 'g' }, 2));

describe("the coordinators' record formatters (ApiMessageFormatter)", () => {
  it('OffsetsMessageFormatter: offset commits as Kafka JSON, group metadata skipped, tombstones as null', () => {
    expect(print('offsets', record(commitKey, commitValue))).toBe(
      '{"key":{"version":1,"data":{"group":"g","topic":"t","partition":3}},"value":{"version":3,"data":{"offset":42,"leaderEpoch":5,"metadata":"","commitTimestamp":1000}}}\n',
    );
    expect(print('offsets', record(groupKey, null))).toBe('');
    expect(print('offsets', record(commitKey, null))).toBe(
      '{"key":{"version":1,"data":{"group":"g","topic":"t","partition":3}},"value":null}\n',
    );
  });

  it('GroupMetadataMessageFormatter skips offset commits; versions a formatter does not read are "unknown"', () => {
    expect(print('group-metadata', record(commitKey, commitValue))).toBe('');
    expect(print('group-metadata', record(groupKey, null))).toBe('{"key":{"version":2,"data":{"group":"g"}},"value":null}\n');
    expect(
      print(
        'offsets',
        record(
          versioned(9, () => {}),
          null,
        ),
      ),
    ).toBe('{"key":{"version":9,"data":"unknown"},"value":null}\n');
  });

  it('TransactionLogMessageFormatter', () => {
    const key = versioned(0, (w) => encodeTransactionLogKey(w, { transactionalId: 'tx' }, 0));
    expect(print('transaction-log', record(key, null))).toBe('{"key":{"version":0,"data":{"transactionalId":"tx"}},"value":null}\n');
  });
});
