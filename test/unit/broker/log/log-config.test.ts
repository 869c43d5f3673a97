import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, LONG_MAX, applyLogConfigOverrides, isLogConfigName } from '../../../../src/broker/log/log-config.js';

describe('LogConfig', () => {
  it("has Kafka's topic-level names and defaults", () => {
    expect(DEFAULT_LOG_CONFIG).toMatchObject({
      'segment.bytes': 1073741824,
      'segment.ms': 604800000,
      'segment.index.bytes': 10485760,
      'index.interval.bytes': 4096,
      'retention.ms': 604800000,
      'retention.bytes': -1,
      'flush.messages': LONG_MAX,
      'cleanup.policy': 'delete',
      'message.timestamp.type': 'CreateTime',
      'max.message.bytes': 1048588,
    });
    expect(isLogConfigName('retention.ms')).toBe(true);
    expect(isLogConfigName('log.retention.ms')).toBe(false);
    expect(isLogConfigName('toString')).toBe(false);
  });

  it('applies string overrides with their types', () => {
    const config = applyLogConfigOverrides(DEFAULT_LOG_CONFIG, [
      ['segment.bytes', '1048576'],
      ['retention.ms', '-1'],
      ['flush.messages', '9223372036854775807'],
      ['min.cleanable.dirty.ratio', '0.25'],
      ['preallocate', 'TRUE'],
      ['cleanup.policy', 'compact'],
    ]);
    expect(config).toMatchObject({
      'segment.bytes': 1048576,
      'retention.ms': -1,
      'flush.messages': LONG_MAX,
      'min.cleanable.dirty.ratio': 0.25,
      preallocate: true,
      'cleanup.policy': 'compact',
    });
    expect(DEFAULT_LOG_CONFIG['segment.bytes']).toBe(1073741824);
  });

  it('rejects unknown names and bad values with Kafka-worded one-line errors', () => {
    const bad = (name: string, value: string) => () => applyLogConfigOverrides(DEFAULT_LOG_CONFIG, [[name, value]]);
    expect(bad('retention.msx', '1')).toThrow('Unknown topic config name: retention.msx');
    expect(bad('segment.bytes', 'abc')).toThrow('Invalid value abc for configuration segment.bytes: Not a number of type INT');
    expect(bad('segment.bytes', '2147483648')).toThrow('Not a number of type INT');
    expect(bad('segment.bytes', '13')).toThrow('Value must be at least 14');
    expect(bad('retention.ms', '-2')).toThrow('Value must be at least -1');
    expect(bad('min.cleanable.dirty.ratio', '1.5')).toThrow('Value must be no more than 1');
    expect(bad('preallocate', 'yes')).toThrow('Expected value to be either true or false');
    expect(bad('message.timestamp.type', 'Now')).toThrow('String must be one of: CreateTime, LogAppendTime');
    expect(bad('segment.ms', '1e3')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
