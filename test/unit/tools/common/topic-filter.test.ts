import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/util/errors.js';
import { filterTopics, topicPattern } from '../../../../src/tools/common/topic-filter.js';

describe('Kafka TopicFilter.IncludeList', () => {
  const topics = ['__consumer_offsets', 'orders', 'orders-dlq', 'payments', 'test.topic', 'testXtopic'];

  it('matches the whole name, not a substring', () => {
    expect(filterTopics(topics, topicPattern('orders'), false)).toEqual(['orders']);
    expect(filterTopics(topics, topicPattern('orders.*'), false)).toEqual(['orders', 'orders-dlq']);
  });

  it('reads commas as "or", drops spaces and surrounding quotes', () => {
    expect(filterTopics(topics, topicPattern(" 'orders, payments' "), false)).toEqual(['orders', 'payments']);
  });

  it('treats the name as a regex: a dot matches any character unless escaped', () => {
    expect(filterTopics(topics, topicPattern('test.topic'), false)).toEqual(['test.topic', 'testXtopic']);
    expect(filterTopics(topics, topicPattern('test\\.topic'), false)).toEqual(['test.topic']);
  });

  it('drops internal topics only when asked', () => {
    expect(filterTopics(topics, undefined, true)).not.toContain('__consumer_offsets');
    expect(filterTopics(topics, topicPattern('__.*'), false)).toEqual(['__consumer_offsets']);
  });

  it('rejects an invalid regex with one line', () => {
    expect(() => topicPattern('(')).toThrow(UsageError);
    expect(() => topicPattern('(')).toThrow('Error: ( is an invalid regex.');
  });
});
