import { describe, expect, it } from 'vitest';
import { BROKER_CONFIG_DEFS } from '../../../../src/broker/config/broker-config-defs.js';
import {
  type BrokerConfig,
  loadBrokerConfig,
  logRetentionMs,
  NO_DYNAMIC_CONFIGS,
  withDynamicConfigs,
} from '../../../../src/broker/config/broker-config.js';
import { ConfigError, configApiError } from '../../../../src/broker/config/config-error.js';
import { type DescribeOptions, describeBrokerConfigs, describeTopicConfigs } from '../../../../src/broker/config/describe-configs.js';
import { alterDynamicBrokerConfigs, dynamicScopeOf } from '../../../../src/broker/config/dynamic-broker-config.js';
import { applyIncrementalOps } from '../../../../src/broker/config/incremental-alter.js';

const ALL: DescribeOptions = { names: null, includeSynonyms: true, includeDocumentation: true };
const only = (...names: string[]): DescribeOptions => ({ ...ALL, names });

function staticConfig(entries: Record<string, string>): BrokerConfig {
  return loadBrokerConfig(new Map(Object.entries(entries))).config;
}

function alterRefusal(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('the change was accepted');
}

describe('dynamic broker configs', () => {
  it('override static ones, per broker over cluster default', () => {
    const config = staticConfig({ 'log.retention.hours': '24', 'message.max.bytes': '5000' });
    let dynamic = alterDynamicBrokerConfigs(
      NO_DYNAMIC_CONFIGS,
      dynamicScopeOf(''),
      new Map([
        ['log.retention.minutes', '30'],
        ['message.max.bytes', '6000'],
      ]),
    );
    dynamic = alterDynamicBrokerConfigs(dynamic, dynamicScopeOf('0'), new Map([['message.max.bytes', '7000']]));
    const updated = withDynamicConfigs(config, dynamic);
    expect(logRetentionMs(updated.values)).toBe(1_800_000);
    expect(updated.values['message.max.bytes']).toBe(7000);
    expect(config.values['message.max.bytes']).toBe(5000);
    const cleared = alterDynamicBrokerConfigs(dynamic, 'dynamicBroker', new Map());
    expect(withDynamicConfigs(config, cleared).values['message.max.bytes']).toBe(6000);
  });

  it('refuse read-only keys and bad values; keep unknown keys as Kafka does', () => {
    const readOnly = alterRefusal(() =>
      alterDynamicBrokerConfigs(
        NO_DYNAMIC_CONFIGS,
        'dynamicBroker',
        new Map([
          ['broker.id', '3'],
          ['listeners', 'PLAINTEXT://:1'],
        ]),
      ),
    );
    expect(readOnly.kind).toBe('not-dynamic');
    expect(configApiError(readOnly, 'AlterConfigs', { type: 'BROKER', name: '0' })).toEqual({
      code: 'INVALID_REQUEST',
      message: 'Cannot update these configs dynamically: Set(broker.id, listeners)',
    });
    const bad = alterRefusal(() =>
      alterDynamicBrokerConfigs(NO_DYNAMIC_CONFIGS, 'dynamicDefault', new Map([['log.retention.ms', 'soon']])),
    );
    expect(bad.message).toBe('Invalid value soon for configuration log.retention.ms: Not a number of type LONG');
    const kept = alterDynamicBrokerConfigs(NO_DYNAMIC_CONFIGS, 'dynamicDefault', new Map([['custom.plugin.key', 'x']]));
    expect(kept.dynamicDefault.get('custom.plugin.key')).toBe('x');
  });
});

describe('describeBrokerConfigs', () => {
  it('reports value, source and synonyms in Kafka’s order', () => {
    const config = staticConfig({ 'log.retention.hours': '24' });
    const dynamic = alterDynamicBrokerConfigs(NO_DYNAMIC_CONFIGS, 'dynamicDefault', new Map([['log.retention.minutes', '30']]));
    const [minutes, retentionMs] = describeBrokerConfigs(
      withDynamicConfigs(config, dynamic),
      'dynamicBroker',
      only('log.retention.ms', 'log.retention.minutes'),
    );
    expect(minutes).toEqual({
      name: 'log.retention.minutes',
      value: '30',
      readOnly: false,
      source: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
      isSensitive: false,
      synonyms: [
        { name: 'log.retention.minutes', value: '30', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' },
        { name: 'log.retention.hours', value: '24', source: 'STATIC_BROKER_CONFIG' },
        { name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' },
      ],
      type: 'INT',
      documentation: BROKER_CONFIG_DEFS['log.retention.minutes'].doc,
    });
    expect(retentionMs!.value).toBeNull();
    // Kafka keeps no synonym before the first named log.retention.ms, and none is: a default.
    expect(retentionMs!.source).toBe('DEFAULT_CONFIG');
    expect(retentionMs!.synonyms).toEqual([]);
    expect(retentionMs!.type).toBe('LONG');
  });

  it('marks read-only and default keys, and hides unknown ones as sensitive', () => {
    const config = staticConfig({ 'mystery.key': 'secret' });
    const entries = describeBrokerConfigs(config, 'dynamicBroker', { names: null, includeSynonyms: false, includeDocumentation: false });
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.size).toBe(Object.keys(BROKER_CONFIG_DEFS).length + 1);
    expect(byName.get('broker.id')).toMatchObject({
      value: '0',
      readOnly: true,
      source: 'DEFAULT_CONFIG',
      synonyms: [],
      documentation: null,
    });
    expect(byName.get('log.flush.interval.messages')!.value).toBe('9223372036854775807');
    expect(byName.get('mystery.key')).toMatchObject({ value: null, isSensitive: true, type: 'UNKNOWN', source: 'STATIC_BROKER_CONFIG' });
  });

  it('lists only the dynamic defaults for the cluster-default resource', () => {
    const dynamic = alterDynamicBrokerConfigs(NO_DYNAMIC_CONFIGS, 'dynamicDefault', new Map([['message.max.bytes', '4096']]));
    const entries = describeBrokerConfigs(withDynamicConfigs(staticConfig({}), dynamic), 'dynamicDefault', ALL);
    expect(entries.map((e) => [e.name, e.value, e.source])).toEqual([['message.max.bytes', '4096', 'DYNAMIC_DEFAULT_BROKER_CONFIG']]);
  });
});

describe('describeTopicConfigs', () => {
  it('shows the topic override first, then the broker synonyms', () => {
    const config = staticConfig({ 'log.segment.bytes': '1048576' });
    const [retention, segment] = describeTopicConfigs(config, new Map([['retention.ms', '1000']]), only('retention.ms', 'segment.bytes'));
    expect(retention).toMatchObject({
      name: 'retention.ms',
      value: '1000',
      source: 'TOPIC_CONFIG',
      readOnly: false,
      type: 'LONG',
      // log.retention.hours is a synonym of log.retention.ms, which is not set: Kafka lists none.
      synonyms: [{ name: 'retention.ms', value: '1000', source: 'TOPIC_CONFIG' }],
    });
    expect(segment).toMatchObject({
      value: '1048576',
      source: 'STATIC_BROKER_CONFIG',
      synonyms: [
        { name: 'log.segment.bytes', value: '1048576', source: 'STATIC_BROKER_CONFIG' },
        { name: 'log.segment.bytes', value: '1073741824', source: 'DEFAULT_CONFIG' },
      ],
    });
  });

  it('describes every topic config, with Kafka’s renderings', () => {
    const entries = describeTopicConfigs(staticConfig({}), new Map(), ALL);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('cleanup.policy')).toMatchObject({ value: 'delete', type: 'LIST', source: 'DEFAULT_CONFIG' });
    expect(byName.get('min.cleanable.dirty.ratio')!.value).toBe('0.5');
    expect(byName.get('flush.ms')!.value).toBe('9223372036854775807');
    expect(byName.get('leader.replication.throttled.replicas')).toMatchObject({ value: '', synonyms: [], source: 'DEFAULT_CONFIG' });
    expect(byName.get('message.downconversion.enable')!.value).toBe('true');
  });
});

describe('applyIncrementalOps', () => {
  const shapes = (name: string) =>
    name === 'cleanup.policy'
      ? { type: 'LIST' as const, default: 'delete' }
      : name === 'retention.ms'
        ? { type: 'LONG' as const, default: null }
        : undefined;

  it('sets, deletes, appends to the default and subtracts from list values', () => {
    const current = new Map([['retention.ms', '1000']]);
    const appended = applyIncrementalOps(
      current,
      [
        { name: 'retention.ms', op: 'DELETE', value: null },
        { name: 'cleanup.policy', op: 'APPEND', value: 'compact' },
        { name: 'segment.ms', op: 'SET', value: '60000' },
      ],
      shapes,
    );
    expect([...appended]).toEqual([
      ['cleanup.policy', 'delete,compact'],
      ['segment.ms', '60000'],
    ]);
    const subtracted = applyIncrementalOps(appended, [{ name: 'cleanup.policy', op: 'SUBTRACT', value: 'delete' }], shapes);
    expect(subtracted.get('cleanup.policy')).toBe('compact');
    expect(current.get('retention.ms')).toBe('1000');
  });

  it('refuses list operations on other types, duplicates and nulls', () => {
    const append = alterRefusal(() => applyIncrementalOps(new Map(), [{ name: 'retention.ms', op: 'APPEND', value: '1' }], shapes));
    expect(configApiError(append, 'AlterConfigs', { type: 'TOPIC', name: 't' })).toEqual({
      code: 'INVALID_CONFIG',
      message: 'Config value append is not allowed for config key: retention.ms',
    });
    expect(alterRefusal(() => applyIncrementalOps(new Map(), [{ name: 'nope', op: 'SUBTRACT', value: '1' }], shapes)).message).toBe(
      'Unknown topic config name: nope',
    );
    expect(
      alterRefusal(() =>
        applyIncrementalOps(
          new Map(),
          [
            { name: 'retention.ms', op: 'SET', value: '1' },
            { name: 'retention.ms', op: 'DELETE', value: null },
          ],
          shapes,
        ),
      ).message,
    ).toBe('Error due to duplicate config keys');
    expect(alterRefusal(() => applyIncrementalOps(new Map(), [{ name: 'retention.ms', op: 'SET', value: null }], shapes)).kind).toBe(
      'null-value',
    );
  });
});

describe('persisted dynamic state', () => {
  it('cannot change read-only keys even if it holds them', () => {
    const smuggled = { dynamicBroker: new Map([['broker.id', '9']]), dynamicDefault: new Map([['num.partitions', '4']]) };
    const values = withDynamicConfigs(staticConfig({ 'num.partitions': '2' }), smuggled).values;
    expect(values['broker.id']).toBe(0);
    expect(values['num.partitions']).toBe(2);
  });
});
