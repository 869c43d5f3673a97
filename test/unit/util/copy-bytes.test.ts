import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyBytes } from '../../../src/util/copy-bytes.js';

describe('copyBytes', () => {
  it('copies exactly the range, as Buffer#copy does, whatever the lengths, offsets and buffers in turn', () => {
    // Two sources and two targets taken in turn: the DataViews it keeps must follow them.
    const sources = [Buffer.alloc(700), Buffer.alloc(700)].map((b) => b.map((_, i) => (i * 7 + b.length) & 0xff) as Buffer);
    sources[1]!.fill(0x5a, 300, 400);
    const copy = fc.record({
      source: fc.nat(1),
      target: fc.nat(1),
      start: fc.nat(650),
      length: fc.oneof(fc.nat(12), fc.integer({ min: 240, max: 270 }), fc.nat(300)),
      at: fc.nat(300),
    });
    fc.assert(
      fc.property(fc.array(copy, { minLength: 1, maxLength: 10 }), (copies) => {
        const targets = [Buffer.alloc(600, 1), Buffer.alloc(600, 2)];
        const expected = targets.map((t) => Buffer.from(t));
        for (const c of copies) {
          const source = sources[c.source]!;
          const end = Math.min(source.length, c.start + c.length);
          const at = Math.min(c.at, 600 - (end - c.start));
          copyBytes(source, c.start, end, targets[c.target]!, at);
          source.copy(expected[c.target]!, at, c.start, end);
        }
        expect(targets).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('copies within views of larger buffers, from their own offsets', () => {
    const backing = Buffer.alloc(64, 0);
    const source = Buffer.from('0123456789abcdefghij');
    const target = backing.subarray(10, 40);
    copyBytes(source, 3, 17, target, 5);
    expect(target.subarray(5, 19).toString()).toBe('3456789abcdefg');
    expect(backing.subarray(0, 15).every((b) => b === 0)).toBe(true);
    expect(backing.subarray(29).every((b) => b === 0)).toBe(true);
  });
});
