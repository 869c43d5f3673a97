import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/util/errors.js';
import { producerSettings } from '../../../../src/tools/console-producer/producer-settings.js';

const props = (o: Record<string, string> = {}) => new Map(Object.entries(o));

describe('console producer settings', () => {
  it("uses Kafka's console defaults, idempotence on (acks=all), five requests in flight", () => {
    expect(producerSettings({}, props())).toMatchObject({
      acks: -1,
      compression: 'none',
      idempotent: true,
      maxInFlight: 5,
      lingerMs: 1000,
      retries: 3,
      retryBackoffMs: 100,
      requestTimeoutMs: 1500,
      maxBlockMs: 60000,
      bufferMemory: 33554432,
      sync: false,
    });
  });

  it('lets a flag win over a property, and a property over the default', () => {
    expect(producerSettings({}, props({ acks: '1', 'linger.ms': '5' }))).toMatchObject({
      acks: 1,
      lingerMs: 5,
      idempotent: false,
      maxInFlight: 5,
    });
    expect(producerSettings({ requestRequiredAcks: 'all', timeout: 7 }, props({ acks: '1', 'linger.ms': '5' }))).toMatchObject({
      acks: -1,
      lingerMs: 7,
    });
    expect(producerSettings({ batchSize: 100, maxPartitionMemoryBytes: 200 }, props({ 'batch.size': '50' })).batchBytes).toBe(200);
    expect(producerSettings({}, props({ 'batch.size': '50' })).batchBytes).toBe(50);
  });

  it('reads --compression-codec without a value as gzip, and checks codec names', () => {
    expect(producerSettings({ compressionCodec: true }, props()).compression).toBe('gzip');
    expect(producerSettings({ compressionCodec: 'ZSTD' }, props()).compression).toBe('zstd');
    expect(producerSettings({}, props({ 'compression.type': 'lz4' })).compression).toBe('lz4');
    expect(() => producerSettings({ compressionCodec: 'brotli' }, props())).toThrow(
      "Error: unknown compression codec 'brotli' (use none, gzip, snappy, lz4, zstd)",
    );
  });

  it('turns idempotence off when settings conflict, and rejects an explicit conflict like Kafka', () => {
    expect(producerSettings({ messageSendMaxRetries: 0 }, props()).idempotent).toBe(false);
    expect(producerSettings({}, props({ 'enable.idempotence': 'false' })).idempotent).toBe(false);
    expect(() => producerSettings({ requestRequiredAcks: '1' }, props({ 'enable.idempotence': 'true' }))).toThrow(UsageError);
    expect(() => producerSettings({}, props({ 'enable.idempotence': 'true', 'max.in.flight.requests.per.connection': '6' }))).toThrow(
      'Error: Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.',
    );
    expect(producerSettings({}, props({ 'max.in.flight.requests.per.connection': '6' }))).toMatchObject({
      idempotent: false,
      maxInFlight: 6,
    });
    expect(() => producerSettings({ requestRequiredAcks: 'most' }, props())).toThrow("Error: invalid acks 'most' (use all, -1, 0 or 1)");
    expect(() => producerSettings({}, props({ 'linger.ms': 'soon' }))).toThrow("Error: invalid value for linger.ms: 'soon'");
  });
});
