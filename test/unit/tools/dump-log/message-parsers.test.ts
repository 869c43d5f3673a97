import { describe, expect, it } from 'vitest';
import { Writer } from '../../../../src/protocol/primitives/writer.js';
import {
  encodeConsumerGroupMemberMetadataValue,
  defaultConsumerGroupMemberMetadataValue,
} from '../../../../src/protocol/generated/group-coordinator/consumer-group-member-metadata-value.js';
import { encodeConsumerGroupMetadataKey } from '../../../../src/protocol/generated/group-coordinator/consumer-group-metadata-key.js';
import { encodeConsumerGroupMetadataValue } from '../../../../src/protocol/generated/group-coordinator/consumer-group-metadata-value.js';
import { encodeGroupMetadataKey } from '../../../../src/protocol/generated/group-coordinator/group-metadata-key.js';
import { encodeGroupMetadataValue } from '../../../../src/protocol/generated/group-coordinator/group-metadata-value.js';
import { encodeOffsetCommitKey } from '../../../../src/protocol/generated/group-coordinator/offset-commit-key.js';
import { encodeOffsetCommitValue } from '../../../../src/protocol/generated/group-coordinator/offset-commit-value.js';
import { encodeConsumerProtocolAssignment } from '../../../../src/protocol/generated/data/consumer-protocol-assignment.js';
import { encodeConsumerProtocolSubscription } from '../../../../src/protocol/generated/data/consumer-protocol-subscription.js';
import { encodeTransactionLogKey } from '../../../../src/protocol/generated/transaction-coordinator/transaction-log-key.js';
import { encodeTransactionLogValue } from '../../../../src/protocol/generated/transaction-coordinator/transaction-log-value.js';
import { decoderFor, decoderParser, offsetsParser, transactionLogParser } from '../../../../src/tools/dump-log/message-parsers.js';

/** MessageUtil.toVersionPrefixedBytes: int16 version, then the message at that version. */
function prefixed<T>(version: number, encode: (w: Writer, m: T, v: number) => void, message: T): Buffer {
  const w = new Writer();
  w.int16(version);
  encode(w, message, version);
  return w.toBuffer();
}

describe('--offsets-decoder (OffsetsMessageParser)', () => {
  // The expected strings are those of Kafka 3.9's DumpLogSegmentsTest.testOffsetsMessageParser.
  it('prints the key and value as Kafka JSON with the record type and value version', () => {
    const key = prefixed(3, encodeConsumerGroupMetadataKey, { groupId: 'group' });
    const value = prefixed(0, encodeConsumerGroupMetadataValue, { epoch: 10 });
    expect(offsetsParser({ offset: 0n, key, value })).toEqual({
      key: '{"type":"3","data":{"groupId":"group"}}',
      payload: '{"version":"0","data":{"epoch":10}}',
    });
  });

  it("decodes a consumer group's member subscriptions and assignments", () => {
    const subscription = prefixed(3, encodeConsumerProtocolSubscription, {
      topics: ['foo'],
      userData: null,
      ownedPartitions: [{ topic: 'foo', partitions: [0] }],
      generationId: 0,
      rackId: 'rack',
    });
    const assignment = prefixed(3, encodeConsumerProtocolAssignment, {
      assignedPartitions: [{ topic: 'foo', partitions: [0] }],
      userData: null,
    });
    const member = {
      memberId: 'member',
      groupInstanceId: 'instance',
      clientId: 'client',
      clientHost: 'host',
      rebalanceTimeout: 1000,
      sessionTimeout: 100,
    };
    const group = { protocolType: 'consumer', generation: 10, protocol: 'range', leader: 'member', currentStateTimestamp: -1n };
    const key = prefixed(2, encodeGroupMetadataKey, { group: 'group' });
    const value = prefixed(4, encodeGroupMetadataValue, { ...group, members: [{ ...member, subscription, assignment }] });
    expect(offsetsParser({ offset: 0n, key, value })).toEqual({
      key: '{"type":"2","data":{"group":"group"}}',
      payload:
        '{"version":"4","data":{"protocolType":"consumer","generation":10,"protocol":"range",' +
        '"leader":"member","currentStateTimestamp":-1,"members":[{"memberId":"member",' +
        '"groupInstanceId":"instance","clientId":"client","clientHost":"host",' +
        '"rebalanceTimeout":1000,"sessionTimeout":100,"subscription":{"topics":["foo"],' +
        '"userData":null,"ownedPartitions":[{"topic":"foo","partitions":[0]}],' +
        '"generationId":0,"rackId":"rack"},"assignment":{"assignedPartitions":' +
        '[{"topic":"foo","partitions":[0]}],"userData":null}}]}}',
    });
    // Bytes that do not decode stay base64, as Kafka keeps them.
    const malformed = prefixed(4, encodeGroupMetadataValue, {
      ...group,
      members: [{ ...member, subscription: Buffer.from('Subscription'), assignment: Buffer.from('Assignment') }],
    });
    expect(offsetsParser({ offset: 0n, key, value: malformed }).payload).toContain(
      '"subscription":"U3Vic2NyaXB0aW9u","assignment":"QXNzaWdubWVudA=="}',
    );
  });

  it('offset commits by version: v1 has expireTimestamp, v3 a leader epoch', () => {
    const key = prefixed(1, encodeOffsetCommitKey, { group: 'g', topic: 't', partition: 2 });
    const commit = { offset: 5n, leaderEpoch: 7, metadata: 'm', commitTimestamp: 1000n, expireTimestamp: 2000n };
    expect(offsetsParser({ offset: 3n, key, value: prefixed(1, encodeOffsetCommitValue, commit) })).toEqual({
      key: '{"type":"1","data":{"group":"g","topic":"t","partition":2}}',
      payload: '{"version":"1","data":{"offset":5,"metadata":"m","commitTimestamp":1000,"expireTimestamp":2000}}',
    });
    expect(
      offsetsParser({ offset: 3n, key, value: prefixed(3, encodeOffsetCommitValue, { ...commit, expireTimestamp: -1n }) }).payload,
    ).toBe('{"version":"3","data":{"offset":5,"leaderEpoch":7,"metadata":"m","commitTimestamp":1000}}');
  });

  it('tombstones, unknown record types and unreadable records', () => {
    const key = prefixed(3, encodeConsumerGroupMetadataKey, { groupId: 'group' });
    expect(offsetsParser({ offset: 0n, key, value: null })).toEqual({
      key: '{"type":"3","data":{"groupId":"group"}}',
      payload: '<DELETE>',
    });
    const unknown = prefixed(32767, encodeConsumerGroupMetadataKey, { groupId: 'group' });
    expect(offsetsParser({ offset: 0n, key: unknown, value: null })).toEqual({ key: 'Unknown record type 32767 at offset 0, skipping.' });
    const wrongValue = prefixed(0, encodeConsumerGroupMemberMetadataValue, defaultConsumerGroupMemberMetadataValue());
    expect(offsetsParser({ offset: 0n, key, value: wrongValue }).key).toMatch(
      /^Error at offset 0, skipping\. Could not read record with version 0 from value's buffer due to: .+\.$/,
    );
    expect(offsetsParser({ offset: 9n, key, value: prefixed(1, encodeConsumerGroupMetadataValue, { epoch: 1 }) }).key).toBe(
      "Error at offset 9, skipping. Could not read record with version 1 from value's buffer due to: Can't read version 1 of ConsumerGroupMetadataValue.",
    );
    expect(() => offsetsParser({ offset: 4n, key: null, value: null })).toThrow(
      'Failed to decode message at offset 4 using offset topic decoder (message had a missing key)',
    );
  });
});

describe('--transaction-log-decoder (TransactionLog.formatRecordKeyAndValue)', () => {
  const key = prefixed(0, encodeTransactionLogKey, { transactionalId: 'tx1' });

  it('prints the transactional id and the metadata line', () => {
    const value = prefixed(0, encodeTransactionLogValue, {
      producerId: 7n,
      producerEpoch: 2,
      transactionTimeoutMs: 60000,
      transactionStatus: 1,
      transactionPartitions: [{ topic: 'orders', partitionIds: [0, 3] }],
      transactionLastUpdateTimestampMs: 1700000000000n,
      transactionStartTimestampMs: 1699999999000n,
    });
    expect(key.toString('hex')).toBe('00000003747831');
    expect(transactionLogParser({ offset: 0n, key, value })).toEqual({
      key: 'transaction_metadata::transactionalId=tx1',
      payload:
        'producerId:7,producerEpoch:2,state=Ongoing,partitions=[orders-0,orders-3],txnLastUpdateTimestamp=1700000000000,txnTimeoutMs=60000',
    });
  });

  it('an Empty transaction lists no partitions; tombstones; unknown key versions', () => {
    const empty = prefixed(0, encodeTransactionLogValue, {
      producerId: 7n,
      producerEpoch: 0,
      transactionTimeoutMs: 60000,
      transactionStatus: 0,
      transactionPartitions: null,
      transactionLastUpdateTimestampMs: 5n,
      transactionStartTimestampMs: -1n,
    });
    expect(transactionLogParser({ offset: 0n, key, value: empty }).payload).toBe(
      'producerId:7,producerEpoch:0,state=Empty,partitions=[],txnLastUpdateTimestamp=5,txnTimeoutMs=60000',
    );
    expect(transactionLogParser({ offset: 0n, key, value: null }).payload).toBe('<DELETE>');
    expect(transactionLogParser({ offset: 0n, key: Buffer.from([0, 9, 0, 0]), value: null })).toEqual({ key: 'unknown::version=9' });
  });
});

describe('--key-decoder-class / --value-decoder-class', () => {
  it("knows Kafka's decoders by class name, and the deprecated ones with Kafka's notice", () => {
    const notices: string[] = [];
    const parse = decoderParser(
      decoderFor('kafka.serializer.IntegerDecoder', (l) => notices.push(l)),
      decoderFor('org.apache.kafka.tools.api.LongDecoder', () => {}),
    );
    const value = Buffer.alloc(8);
    value.writeBigInt64BE(-5n);
    expect(parse({ offset: 0n, key: Buffer.from([0, 0, 1, 0]), value })).toEqual({ key: '256', payload: '-5' });
    expect(parse({ offset: 0n, key: null, value: null })).toEqual({});
    expect(notices).toEqual([
      'kafka.serializer.IntegerDecoder is deprecated. Please use org.apache.kafka.tools.api.IntegerDecoder instead',
    ]);
    expect(() => decoderFor('com.example.MyDecoder', () => {})).toThrow('Error: kts cannot load decoder class com.example.MyDecoder');
  });
});
