import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPartitioner } from '../../../../src/client/producer/custom-partitioner.js';
import { murmur2 } from '../../../../src/client/producer/murmur2.js';
import {
  StickyPartitioner,
  checkCustomPartition,
  checkExplicitPartition,
  partitionForKey,
} from '../../../../src/client/producer/partitioner.js';
import { KAFKA_MURMUR2_VECTORS } from '../murmur2-vectors.js';

describe('murmur2', () => {
  it("matches Kafka's UtilsTest vectors", () => {
    for (const [input, expected] of KAFKA_MURMUR2_VECTORS) expect(murmur2(Buffer.from(input))).toBe(expected);
  });

  it("puts random keys where kafkajs's Java-compatible partitioner does", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 1000 }), (bytes, partitions) => {
        const key = Buffer.from(bytes);
        const partitionMetadata = Array.from({ length: partitions }, (_, i) => ({
          partitionId: i,
          leader: 0,
          partitionErrorCode: 0,
          replicas: [0],
          isr: [0],
        }));
        const expected = kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } });
        expect(partitionForKey(key, partitions)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('StickyPartitioner (KIP-480 / KIP-794)', () => {
  const topic = { count: 4, available: [1, 3] };
  const sequence = (...values: number[]) => {
    let i = 0;
    return () => values[i++ % values.length]!;
  };

  it('sticks to one available partition until batch.size bytes went to it and its batch is closed', () => {
    const p = new StickyPartitioner(100, sequence(0, 1));
    expect(p.partition(topic)).toBe(1);
    p.appended(60, topic, true);
    expect(p.partition(topic)).toBe(1);
    p.appended(60, topic, false);
    expect(p.partition(topic)).toBe(1); // 120 bytes, but the batch is still open
    p.appended(10, topic, true);
    expect(p.partition(topic)).toBe(3);
  });

  it('switches at twice batch.size even while the batch is open', () => {
    const p = new StickyPartitioner(100, sequence(0, 1));
    p.partition(topic);
    p.appended(199, topic, false);
    expect(p.partition(topic)).toBe(1);
    p.appended(1, topic, false);
    expect(p.partition(topic)).toBe(3);
  });

  it('uses all partitions when none has a leader', () => {
    const p = new StickyPartitioner(100, sequence(6));
    expect(p.partition({ count: 4, available: [] })).toBe(2);
  });
});

describe('partition checks', () => {
  it("rejects an explicit partition outside the topic with Kafka's message", () => {
    expect(checkExplicitPartition(2, 3)).toBe(2);
    expect(() => checkExplicitPartition(3, 3)).toThrow('Invalid partition given with record: 3 is not in the range [0...3].');
    expect(() => checkCustomPartition(-1, 3)).toThrow('The partitioner generated an invalid partition number: -1.');
  });
});

describe('partitioner.class', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-partitioner-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cluster = { partitions: 3, availablePartitions: [0, 1, 2] };
  const record = (value: string) => ({ topic: 't', key: null, value: Buffer.from(value), headers: [] });
  const write = (name: string, source: string) => {
    const path = join(dir, name);
    writeFileSync(path, source);
    return path;
  };

  it('loads a default-exported function, class or object', async () => {
    const fn = await loadPartitioner(write('fn.mjs', "export default (r) => (r.value.includes('X') ? 0 : 2);"));
    expect(fn!(record('aXb'), cluster)).toBe(0);
    expect(fn!(record('ab'), cluster)).toBe(2);
    const cls = await loadPartitioner(
      write('cls.mjs', 'export default class { n = 0; partition(r, c) { return this.n++ % c.partitions; } }'),
    );
    expect([cls!(record(''), cluster), cls!(record(''), cluster), cls!(record(''), cluster), cls!(record(''), cluster)]).toEqual([
      0, 1, 2, 0,
    ]);
    const obj = await loadPartitioner(write('obj.cjs', 'module.exports = { partition: (r, c) => c.availablePartitions.at(-1) };'));
    expect(obj!(record(''), cluster)).toBe(2);
  });

  it("knows Kafka's own class names and explains the rest in one line", async () => {
    expect(await loadPartitioner('org.apache.kafka.clients.producer.internals.DefaultPartitioner')).toBeNull();
    const rr = (await loadPartitioner('org.apache.kafka.clients.producer.RoundRobinPartitioner'))!;
    expect([0, 1, 2, 3].map(() => rr(record(''), { partitions: 3, availablePartitions: [0, 2] }))).toEqual([0, 2, 0, 2]);
    await expect(loadPartitioner('com.example.MyPartitioner')).rejects.toThrow(
      'Error: partitioner.class com.example.MyPartitioner is a Java class; give the path of a JavaScript module instead',
    );
    await expect(loadPartitioner(join(dir, 'missing.mjs'))).rejects.toThrow(/could not load partitioner.class .*: no such module/);
    await expect(loadPartitioner(write('bad.mjs', 'export default 42;'))).rejects.toThrow(/must default-export a function/);
  });
});
