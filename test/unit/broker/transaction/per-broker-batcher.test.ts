import { describe, expect, it } from 'vitest';
import { PerBrokerBatcher } from '../../../../src/broker/transaction/per-broker-batcher.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PerBrokerBatcher', () => {
  it('keeps one request out per broker, brokers apart, and fails the items of a request that failed without stopping the queue', async () => {
    const sent: Array<[number, string[]]> = [];
    const release: Array<() => void> = [];
    const batcher = new PerBrokerBatcher<string, string>(async (broker, batch) => {
      sent.push([broker, [...batch]]);
      await new Promise<void>((resolve) => release.push(resolve));
      if (batch.includes('bad')) throw new Error('request failed');
      return batch.map((item) => `${item}@${broker}`);
    });
    const a = batcher.request(1, 'a');
    const x = batcher.request(2, 'x');
    await settle();
    const bad = batcher.request(1, 'bad');
    const b = batcher.request(1, 'b');
    await settle();
    expect(sent).toEqual([
      [1, ['a']],
      [2, ['x']],
    ]);
    release.shift()!();
    release.shift()!();
    expect([await a, await x]).toEqual(['a@1', 'x@2']);
    await settle();
    expect(sent[2]).toEqual([1, ['bad', 'b']]);
    release.shift()!();
    await expect(bad).rejects.toThrow('request failed');
    await expect(b).rejects.toThrow('request failed');
    const c = batcher.request(1, 'c');
    await settle();
    release.shift()!();
    expect(await c).toBe('c@1');
  });
});
