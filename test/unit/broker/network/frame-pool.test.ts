import { describe, expect, it } from 'vitest';
import { FramePool } from '../../../../src/broker/network/frame-pool.js';

describe('FramePool', () => {
  it('lends a buffer of the size asked for and lends its memory again once it is given back', () => {
    const pool = new FramePool();
    const first = pool.take(140_000);
    expect(first.length).toBe(140_000);
    // The next size up in steps of 2^(1/4), in whole pages: 2^17.25 bytes, rounded up.
    expect(first.buffer.byteLength).toBe(159_744);
    const meanwhile = pool.take(140_000);
    expect(meanwhile.buffer).not.toBe(first.buffer);
    pool.give(first);
    const next = pool.take(150_000);
    expect(next.buffer).toBe(first.buffer);
    expect(next.length).toBe(150_000);
    // A frame of another size gets a buffer of its own size.
    expect(pool.take(200_000).buffer).not.toBe(first.buffer);
  });

  it('takes back only what it lent, and only once', () => {
    const pool = new FramePool();
    const lent = pool.take(70_000);
    pool.give(lent);
    pool.give(lent);
    const a = pool.take(70_000);
    const b = pool.take(70_000);
    expect(a.buffer).toBe(lent.buffer);
    expect(b.buffer).not.toBe(lent.buffer);
    // A view of a received chunk (a frame that needed no copy) is not the pool's.
    const chunk = Buffer.allocUnsafe(65_536);
    pool.give(chunk);
    expect(pool.take(65_536).buffer).not.toBe(chunk.buffer);
  });

  it('allocates frames above its largest size each time, and keeps a bounded number of free buffers', () => {
    const pool = new FramePool();
    const large = pool.take(3 << 20);
    pool.give(large);
    expect(pool.take(3 << 20).buffer).not.toBe(large.buffer);
    // 2 MiB buffers: 16 MiB of free ones are kept, the ninth goes to the GC.
    const lent = Array.from({ length: 9 }, () => pool.take(2 << 20));
    for (const b of lent) pool.give(b);
    const again = new Set(Array.from({ length: 9 }, () => pool.take(2 << 20).buffer));
    expect(lent.filter((b) => again.has(b.buffer))).toHaveLength(8);
  });
});
