import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPropertiesFile } from '../../../../src/util/properties.js';
import {
  loadBrokerConfig,
  logFlushIntervalMs,
  logRetentionMs,
  logRollMs,
  zookeeperConnectionTimeoutMs,
} from '../../../../src/broker/config/broker-config.js';
import { ConfigError } from '../../../../src/broker/config/config-error.js';
import { resolveAdvertisedEndpoints } from '../../../../src/broker/config/listeners.js';

const BUNDLED = fileURLToPath(new URL('../../../../config/server.properties', import.meta.url));
const props = (entries: Record<string, string>) => new Map(Object.entries(entries));
const load = (entries: Record<string, string>, overrides: Record<string, string> = {}) =>
  loadBrokerConfig(props(entries), props(overrides), '/work/dir').config;

function refusal(entries: Record<string, string>): string {
  try {
    load(entries);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('loadBrokerConfig', () => {
  it('gives Kafka’s defaults for an empty file', () => {
    const { config, unknownKeys } = loadBrokerConfig(new Map());
    const v = config.values;
    expect(unknownKeys).toEqual([]);
    expect(v['broker.id']).toBe(0);
    expect(v['num.partitions']).toBe(1);
    expect(v['message.max.bytes']).toBe(1_048_588);
    expect(v['log.segment.bytes']).toBe(1_073_741_824);
    expect(v['offsets.topic.replication.factor']).toBe(3);
    expect(v['group.initial.rebalance.delay.ms']).toBe(3000);
    expect(v['log.cleanup.policy']).toEqual(['delete']);
    expect(v['zookeeper.connect']).toBeNull();
    expect(config.logDirs).toEqual([join(tmpdir(), 'kafka-logs')]);
    expect(config.listeners).toEqual([{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'localhost', port: 9092 }]);
    expect(config.advertisedListeners).toEqual(config.listeners);
    expect(logRetentionMs(v)).toBe(168 * 3_600_000);
    expect(logRollMs(v)).toBe(168 * 3_600_000);
    expect(zookeeperConnectionTimeoutMs(v)).toBe(18_000);
  });

  it('lets --override pairs replace file values', () => {
    const v = load({ 'num.partitions': '3', 'broker.id': '1' }, { 'num.partitions': '7' }).values;
    expect(v['num.partitions']).toBe(7);
    expect(v['broker.id']).toBe(1);
  });

  it('takes retention from ms, else minutes, else hours; negative means forever', () => {
    expect(logRetentionMs(load({ 'log.retention.hours': '2' }).values)).toBe(7_200_000);
    expect(logRetentionMs(load({ 'log.retention.hours': '2', 'log.retention.minutes': '3' }).values)).toBe(180_000);
    expect(logRetentionMs(load({ 'log.retention.hours': '2', 'log.retention.minutes': '3', 'log.retention.ms': '5' }).values)).toBe(5);
    expect(logRetentionMs(load({ 'log.retention.hours': '-5' }).values)).toBe(-1);
    expect(logRollMs(load({ 'log.roll.hours': '1', 'log.roll.ms': '250' }).values)).toBe(250);
    expect(logFlushIntervalMs(load({ 'log.flush.scheduler.interval.ms': '99' }).values)).toBe(99);
    expect(logFlushIntervalMs(load({ 'log.flush.scheduler.interval.ms': '99', 'log.flush.interval.ms': '7' }).values)).toBe(7);
  });

  it('returns unknown keys, in file order, instead of failing', () => {
    const { unknownKeys } = loadBrokerConfig(
      props({ 'num.partitions': '2', 'no.such.key': 'x', 'metric.reporters': 'com.example.Reporter' }),
    );
    expect(unknownKeys).toEqual(['no.such.key', 'metric.reporters']);
  });

  it('refuses bad values with one line naming key and value', () => {
    expect(refusal({ 'num.partitions': 'abc' })).toBe('Invalid value abc for configuration num.partitions: Not a number of type INT');
    expect(refusal({ 'num.partitions': '0' })).toBe('Invalid value 0 for configuration num.partitions: Value must be at least 1');
    expect(refusal({ 'auto.create.topics.enable': 'sure' })).toBe(
      'Invalid value sure for configuration auto.create.topics.enable: Expected value to be either true or false',
    );
    expect(refusal({ 'compression.type': 'brotli' })).toBe(
      'Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer',
    );
    expect(refusal({ 'log.dirs': ' , ' })).toBe('At least one log directory must be defined via log.dirs or log.dir.');
  });

  it('resolves log.dirs (over log.dir) against the working directory', () => {
    expect(load({ 'log.dir': '/ignored', 'log.dirs': 'a, /abs/b' }).logDirs).toEqual([resolve('/work/dir', 'a'), '/abs/b']);
    expect(load({ 'log.dir': 'only' }).logDirs).toEqual([resolve('/work/dir', 'only')]);
  });

  it('reads Kafka’s own quickstart settings without warnings', () => {
    const kafkaQuickstart = props({
      'broker.id': '0',
      'num.network.threads': '3',
      'num.io.threads': '8',
      'socket.send.buffer.bytes': '102400',
      'socket.receive.buffer.bytes': '102400',
      'socket.request.max.bytes': '104857600',
      'log.dirs': '/tmp/kafka-logs',
      'num.partitions': '1',
      'num.recovery.threads.per.data.dir': '1',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'log.retention.hours': '168',
      'log.retention.check.interval.ms': '300000',
      'zookeeper.connect': 'localhost:2181',
      'zookeeper.connection.timeout.ms': '18000',
      'group.initial.rebalance.delay.ms': '0',
    });
    expect(loadBrokerConfig(kafkaQuickstart).unknownKeys).toEqual([]);
  });
});

describe('the bundled config/server.properties', () => {
  it('parses with no warnings and sets up a single development broker', () => {
    const { config, unknownKeys } = loadBrokerConfig(readPropertiesFile(BUNDLED));
    expect(unknownKeys).toEqual([]);
    const v = config.values;
    expect(v['broker.id']).toBe(0);
    expect(v['num.partitions']).toBe(1);
    expect(v['offsets.topic.replication.factor']).toBe(1);
    expect(v['transaction.state.log.replication.factor']).toBe(1);
    expect(v['transaction.state.log.min.isr']).toBe(1);
    expect(v['group.initial.rebalance.delay.ms']).toBe(0);
    expect(v['zookeeper.connect']).toBeNull();
    expect(config.logDirs).toEqual(['/tmp/kts-logs']);
    expect(config.listeners.map((e) => `${e.listenerName}://${e.host}:${e.port}`)).toEqual(['PLAINTEXT://localhost:9092']);
  });
});

describe('listeners', () => {
  it('parses names case-insensitively, IPv6 hosts and wildcard hosts', () => {
    const config = load({
      listeners: 'plaintext://[::1]:9092,INTERNAL://:0',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,internal:plaintext',
    });
    expect(config.listeners).toEqual([
      { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '::1', port: 9092 },
      { listenerName: 'INTERNAL', securityProtocol: 'PLAINTEXT', host: '', port: 0 },
    ]);
  });

  it('refuses unmapped, malformed and duplicate listeners', () => {
    expect(load({ listeners: 'SSL://localhost:9093,SASL_SSL://:9094' }).listeners.map((e) => e.securityProtocol)).toEqual([
      'SSL',
      'SASL_SSL',
    ]);
    expect(refusal({ listeners: 'CLIENT://localhost:9093' })).toBe('No security protocol defined for listener CLIENT');
    expect(refusal({ listeners: 'PLAINTEXT://localhost' })).toBe(
      'Invalid value PLAINTEXT://localhost for configuration listeners: Unable to parse PLAINTEXT://localhost to a broker endpoint',
    );
    expect(refusal({ listeners: 'PLAINTEXT://a:1,PLAINTEXT://b:2' })).toBe(
      'Each listener must have a different name, listeners: PLAINTEXT://a:1,PLAINTEXT://b:2',
    );
    expect(refusal({ listeners: '' })).toBe('Invalid value  for configuration listeners: At least one listener is required');
    expect(refusal({ 'listener.security.protocol.map': 'PLAINTEXT:TLS' })).toMatch(
      /^Invalid value PLAINTEXT:TLS for configuration listener.security.protocol.map: unknown security protocol TLS/,
    );
  });

  it('advertises advertised.listeners, which must name known listeners and not 0.0.0.0', () => {
    const config = load({ listeners: 'PLAINTEXT://0.0.0.0:9092', 'advertised.listeners': 'PLAINTEXT://broker.example:19092' });
    expect(config.advertisedListeners).toEqual([
      { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'broker.example', port: 19092 },
    ]);
    expect(
      refusal({ 'advertised.listeners': 'OTHER://h:1', 'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,OTHER:PLAINTEXT' }),
    ).toMatch(/^advertised.listeners listener names must be equal to or a subset of the ones defined in listeners/);
    expect(refusal({ 'advertised.listeners': 'PLAINTEXT://0.0.0.0:9092' })).toBe(
      'advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.',
    );
  });

  it('resolves wildcard hosts to the machine name and port 0 to the bound port after binding', () => {
    const config = load({
      listeners: 'PLAINTEXT://0.0.0.0:0,LOCAL://127.0.0.1:0',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,LOCAL:PLAINTEXT',
    });
    const bound = new Map([
      ['PLAINTEXT', 40001],
      ['LOCAL', 40002],
    ]);
    expect(
      resolveAdvertisedEndpoints(config.advertisedListeners, bound, 'myhost').map((e) => `${e.listenerName}://${e.host}:${e.port}`),
    ).toEqual(['PLAINTEXT://myhost:40001', 'LOCAL://127.0.0.1:40002']);
  });
});
