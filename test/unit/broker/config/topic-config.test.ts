import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, LOG_CONFIG_NAMES, LONG_MAX } from '../../../../src/broker/log/log-config.js';
import { BROKER_CONFIG_DEFS } from '../../../../src/broker/config/broker-config-defs.js';
import { loadBrokerConfig } from '../../../../src/broker/config/broker-config.js';
import { ConfigError, configApiError } from '../../../../src/broker/config/config-error.js';
import {
  brokerLogDefaults,
  TOPIC_CONFIG_NAMES,
  topicConfigKey,
  topicLogConfig,
  validateTopicConfigs,
} from '../../../../src/broker/config/topic-config.js';

const brokerValues = (entries: Record<string, string> = {}) => loadBrokerConfig(new Map(Object.entries(entries))).config.values;

function refusal(entries: [string, string | null][]): ConfigError {
  try {
    validateTopicConfigs(entries);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('the topic configs were accepted');
}

describe('topic config table', () => {
  it('covers every LogConfig setting, and each broker synonym is dynamic', () => {
    expect(TOPIC_CONFIG_NAMES).toEqual(expect.arrayContaining(LOG_CONFIG_NAMES));
    for (const name of TOPIC_CONFIG_NAMES) {
      const key = topicConfigKey(name);
      if (key.broker !== null) expect(BROKER_CONFIG_DEFS[key.broker].dynamic, key.broker).toBe(true);
    }
  });

  it('derives from Kafka’s broker defaults exactly the log layer’s topic defaults', () => {
    expect(brokerLogDefaults(brokerValues())).toEqual(DEFAULT_LOG_CONFIG);
  });
});

describe('validateTopicConfigs', () => {
  it('accepts known configs and returns them', () => {
    const valid = validateTopicConfigs([
      ['retention.ms', '1000'],
      ['cleanup.policy', 'compact'],
      ['message.timestamp.difference.max.ms', '5000'],
      ['message.downconversion.enable', 'false'],
    ]);
    expect([...valid.keys()]).toEqual([
      'retention.ms',
      'cleanup.policy',
      'message.timestamp.difference.max.ms',
      'message.downconversion.enable',
    ]);
  });

  it('refuses unknown names, bad values and nulls in Kafka’s words', () => {
    const unknown = refusal([['foo', '1']]);
    expect([unknown.kind, unknown.message]).toEqual(['unknown-name', 'Unknown topic config name: foo']);
    const bad = refusal([['retention.ms', 'abc']]);
    expect([bad.kind, bad.message]).toEqual([
      'invalid-value',
      'Invalid value abc for configuration retention.ms: Not a number of type LONG',
    ]);
    expect(refusal([['segment.bytes', '10']]).message).toBe('Invalid value 10 for configuration segment.bytes: Value must be at least 14');
    expect(refusal([['message.timestamp.difference.max.ms', '-1']]).message).toBe(
      'Invalid value -1 for configuration message.timestamp.difference.max.ms: Value must be at least 0',
    );
    const nulls = refusal([
      ['retention.ms', null],
      ['segment.ms', null],
    ]);
    expect([nulls.kind, nulls.message]).toEqual(['null-value', 'Null value not supported for topic configs: retention.ms,segment.ms']);
  });

  it('maps refusals onto the protocol error each API uses', () => {
    const bad = refusal([['retention.ms', 'abc']]);
    expect(configApiError(bad, 'CreateTopics', { type: 'TOPIC', name: 't' })).toEqual({ code: 'INVALID_CONFIG', message: bad.message });
    expect(configApiError(bad, 'AlterConfigs', { type: 'TOPIC', name: 't' })).toEqual({
      code: 'INVALID_CONFIG',
      message:
        "Invalid config value for resource ConfigResource(type=TOPIC, name='t'): Invalid value abc for configuration retention.ms: Not a number of type LONG",
    });
    const unknown = refusal([['foo', '1']]);
    expect(configApiError(unknown, 'AlterConfigs', { type: 'TOPIC', name: 't' })).toEqual({
      code: 'INVALID_CONFIG',
      message: 'Unknown topic config name: foo',
    });
  });
});

describe('topicLogConfig', () => {
  it('takes a topic override over the broker setting over the default', () => {
    const broker = brokerValues({ 'log.retention.minutes': '10', 'log.segment.bytes': '1048576', 'message.max.bytes': '2000' });
    const config = topicLogConfig(broker, new Map([['max.message.bytes', '500']]));
    expect(config['retention.ms']).toBe(600_000);
    expect(config['segment.bytes']).toBe(1_048_576);
    expect(config['max.message.bytes']).toBe(500);
    expect(config['cleanup.policy']).toBe('delete');
  });

  it('lets the deprecated timestamp difference stand in for unset before/after limits', () => {
    const config = topicLogConfig(
      brokerValues(),
      new Map([
        ['message.timestamp.difference.max.ms', '5000'],
        ['message.timestamp.after.max.ms', '100'],
      ]),
    );
    expect(config['message.timestamp.before.max.ms']).toBe(5000);
    expect(config['message.timestamp.after.max.ms']).toBe(100);
    const fromBroker = topicLogConfig(brokerValues({ 'log.message.timestamp.difference.max.ms': '7000' }), new Map());
    expect(fromBroker['message.timestamp.before.max.ms']).toBe(7000);
    expect(topicLogConfig(brokerValues(), new Map())['message.timestamp.after.max.ms']).toBe(LONG_MAX);
  });
});
