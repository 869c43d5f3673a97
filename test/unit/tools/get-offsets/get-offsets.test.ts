import { describe, expect, it } from 'vitest';
import { CliError } from '../../../../src/cli/errors.js';
import { parseOffsetSpec } from '../../../../src/tools/get-offsets/offset-spec.js';
import { topicAndPartitionsFilter, topicPartitionsFilter } from '../../../../src/tools/get-offsets/partition-filter.js';
import { offsetLines, sortLikeKafka } from '../../../../src/tools/get-offsets/partition-offsets.js';

describe('--time', () => {
  it('accepts names, their numbers and timestamps like Long.parseLong', () => {
    expect(parseOffsetSpec('latest')).toEqual({ kind: 'latest' });
    expect(parseOffsetSpec('-1')).toEqual({ kind: 'latest' });
    expect(parseOffsetSpec('-2')).toEqual({ kind: 'earliest' });
    expect(parseOffsetSpec('earliest')).toEqual({ kind: 'earliest' });
    expect(parseOffsetSpec('-3')).toEqual({ kind: 'max-timestamp' });
    expect(parseOffsetSpec('-4')).toEqual({ kind: 'earliest-local' });
    expect(parseOffsetSpec('latest-tiered')).toEqual({ kind: 'latest-tiered' });
    expect(parseOffsetSpec('1700000000000')).toEqual({ kind: 'timestamp', ms: 1700000000000 });
    expect(parseOffsetSpec('+0')).toEqual({ kind: 'timestamp', ms: 0 });
  });

  it("rejects anything else with Kafka's message, as a usage error", () => {
    for (const bad of ['LATEST', '1.5', '', '9223372036854775808']) {
      let err: unknown;
      try {
        parseOffsetSpec(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
      expect((err as CliError).message).toBe(
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
});
