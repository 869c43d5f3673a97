import { describe, expect, it } from 'vitest';
import { KtsError } from '../../../../src/util/errors.js';
import { exitCodeOf } from '../../../../src/cli/errors.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import {
  defaultMetadataResponse,
  defaultMetadataResponseBroker,
  defaultMetadataResponsePartition,
  defaultMetadataResponseTopic,
  type MetadataResponse,
} from '../../../../src/protocol/generated/apis/metadata.js';
import { routeToLeaders } from '../../../../src/client/leader-routes.js';
import { matchingPartitions } from '../../../../src/tools/get-offsets/matching-partitions.js';
import { describeOffsetSpec, listOffsetsTimestamp, parseOffsetSpec } from '../../../../src/tools/get-offsets/offset-spec.js';
import { topicAndPartitionsFilter, topicPartitionsFilter } from '../../../../src/tools/get-offsets/partition-filter.js';
import { offsetLines, skipLines, sortLikeKafka } from '../../../../src/tools/get-offsets/partition-offsets.js';

describe('--time', () => {
  it('accepts names, their numbers and timestamps like Long.parseLong', () => {
    expect(parseOffsetSpec('latest')).toEqual({ kind: 'latest' });
    expect(parseOffsetSpec('-1')).toEqual({ kind: 'latest' });
    expect(parseOffsetSpec('-2')).toEqual({ kind: 'earliest' });
    expect(parseOffsetSpec('earliest')).toEqual({ kind: 'earliest' });
    expect(parseOffsetSpec('-3')).toEqual({ kind: 'max-timestamp' });
    expect(parseOffsetSpec('-4')).toEqual({ kind: 'earliest-local' });
    expect(parseOffsetSpec('latest-tiered')).toEqual({ kind: 'latest-tiered' });
    expect(parseOffsetSpec('1700000000000')).toEqual({ kind: 'timestamp', ms: 1700000000000n });
    expect(parseOffsetSpec('+0')).toEqual({ kind: 'timestamp', ms: 0n });
    expect(parseOffsetSpec('9223372036854775807')).toEqual({ kind: 'timestamp', ms: 9223372036854775807n });
  });

  it('maps to the timestamp ListOffsets carries, and names itself in messages', () => {
    const sent = ['latest', '-2', 'max-timestamp', '-4', '-5', '-6', '1700000000000'].map((t) => listOffsetsTimestamp(parseOffsetSpec(t)));
    expect(sent).toEqual([-1n, -2n, -3n, -4n, -5n, -6n, 1700000000000n]);
    expect(describeOffsetSpec(parseOffsetSpec('-3'))).toBe('max-timestamp');
    expect(describeOffsetSpec(parseOffsetSpec('+42'))).toBe('42');
  });

  it("rejects anything else with Kafka's message, as a usage error", () => {
    for (const bad of ['LATEST', '1.5', '', '9223372036854775808']) {
      let err: unknown;
      try {
        parseOffsetSpec(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KtsError);
      expect(exitCodeOf(err)).toBe(2);
      expect((err as KtsError).message).toBe(
        `Error occurred: Malformed time argument ${bad}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp`,
      );
    }
  });
});

describe('topic-partition filters', () => {
  it('--topic regex with --partitions', () => {
    const f = topicAndPartitionsFilter('orders.*', '0,2');
    expect(f.topicAllowed('orders-1')).toBe(true);
    expect(f.topicAllowed('xorders')).toBe(false);
    expect([0, 1, 2].filter((p) => f.partitionAllowed('orders', p))).toEqual([0, 2]);
    expect(topicAndPartitionsFilter(undefined, undefined).partitionAllowed('any', 7)).toBe(true);
    expect(() => topicAndPartitionsFilter('a', '1,x')).toThrow(
      'Error occurred: --partitions expects a comma separated list of numeric partition ids, but received: 1,x',
    );
  });

  it('--topic-partitions rules: single, ranges (upper exclusive), open ends, any topic', () => {
    const f = topicPartitionsFilter('a:1,b:0-3,c,d:5-,e:-3,:9');
    const allowed = (topic: string) => [...Array(12).keys()].filter((p) => f.partitionAllowed(topic, p));
    expect(allowed('a')).toEqual([1, 9]);
    expect(allowed('b')).toEqual([0, 1, 2, 9]);
    expect(allowed('c')).toEqual([...Array(12).keys()]);
    expect(allowed('d')).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(allowed('e')).toEqual([0, 1, 2, 9]);
    expect(allowed('zzz')).toEqual([9]);
    expect(() => topicPartitionsFilter('a:x')).toThrow('Error occurred: Invalid rule specification: a:x');
  });
});

describe('output order', () => {
  it('sorts by the "topic-partition" string as Kafka does (t-10 before t-2)', () => {
    const sorted = sortLikeKafka([
      { topic: 't', partition: 2, offset: '5' },
      { topic: 't', partition: 10, offset: '1' },
      { topic: 'a-b', partition: 0, offset: '0' },
      { topic: 't', partition: 1, offset: '3' },
      { topic: 'a', partition: 3, offset: '9' },
    ]);
    expect(offsetLines(sorted)).toBe('a:3:9\na-b:0:0\nt:1:3\nt:10:1\nt:2:5\n');
  });

  it("prints failed partitions as GetOffsetShell's skip lines, with the Java exception", () => {
    expect(
      skipLines([
        { topic: 't', partition: 2, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED },
        { topic: 't', partition: 3, errorCode: ErrorCode.KAFKA_STORAGE_ERROR },
      ]),
    ).toBe(
      'Skip getting offsets for topic-partition t-2 due to error: org.apache.kafka.common.errors.TopicAuthorizationException: Topic authorization failed.\n' +
        'Skip getting offsets for topic-partition t-3 due to error: KAFKA_STORAGE_ERROR\n',
    );
  });
});

/** Brokers 1 and 2; `t` with partition 0 led by 1, 1 by 2, 2 leaderless, 3 led by the unknown broker 9; internal `__consumer_offsets` led by 1. */
function metadata(): MetadataResponse {
  const partition = (partitionIndex: number, leaderId: number) => ({ ...defaultMetadataResponsePartition(), partitionIndex, leaderId });
  return {
    ...defaultMetadataResponse(),
    brokers: [1, 2].map((nodeId) => ({ ...defaultMetadataResponseBroker(), nodeId, host: `b${nodeId}`, port: 9090 + nodeId })),
    topics: [
      { ...defaultMetadataResponseTopic(), name: 't', partitions: [partition(0, 1), partition(1, 2), partition(2, -1), partition(3, 9)] },
      { ...defaultMetadataResponseTopic(), name: '__consumer_offsets', partitions: [partition(0, 1)] },
      { ...defaultMetadataResponseTopic(), name: 'new', errorCode: ErrorCode.LEADER_NOT_AVAILABLE },
    ],
  };
}

describe('partitions and their leaders', () => {
  it('lists the partitions the filters allow, internal topics unless excluded', () => {
    const all = topicAndPartitionsFilter(undefined, undefined);
    expect(matchingPartitions(metadata(), all, false).map((p) => `${p.topic}-${p.partition}`)).toEqual([
      't-0',
      't-1',
      't-2',
      't-3',
      '__consumer_offsets-0',
    ]);
    expect(matchingPartitions(metadata(), all, true)).toHaveLength(4);
    expect(matchingPartitions(metadata(), topicPartitionsFilter('t:1-3'), false)).toEqual([
      { topic: 't', partition: 1 },
      { topic: 't', partition: 2 },
    ]);
    expect(matchingPartitions(metadata(), topicAndPartitionsFilter('nope', undefined), false)).toEqual([]);
  });

  it('groups partitions by leader; the rest carry the error the metadata implies', () => {
    const wanted = [0, 1, 2, 3, 4].map((partition) => ({ topic: 't', partition }));
    const { routes, unrouted } = routeToLeaders(metadata(), [
      ...wanted,
      { topic: '__consumer_offsets', partition: 0 },
      { topic: 'new', partition: 0 },
      { topic: 'gone', partition: 0 },
    ]);
    expect(routes).toEqual([
      {
        leader: { host: 'b1', port: 9091 },
        partitions: [
          { topic: 't', partition: 0 },
          { topic: '__consumer_offsets', partition: 0 },
        ],
      },
      { leader: { host: 'b2', port: 9092 }, partitions: [{ topic: 't', partition: 1 }] },
    ]);
    expect(unrouted).toEqual([
      { topic: 't', partition: 2, errorCode: ErrorCode.LEADER_NOT_AVAILABLE },
      { topic: 't', partition: 3, errorCode: ErrorCode.LEADER_NOT_AVAILABLE },
      { topic: 't', partition: 4, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
      { topic: 'new', partition: 0, errorCode: ErrorCode.LEADER_NOT_AVAILABLE },
      { topic: 'gone', partition: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
    ]);
  });
});
