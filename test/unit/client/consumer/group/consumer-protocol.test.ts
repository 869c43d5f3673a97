import { describe, expect, it } from 'vitest';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../../../../../src/client/consumer/group/consumer-protocol.js';
import { Writer } from '../../../../../src/protocol/primitives/writer.js';

describe('consumer protocol metadata', () => {
  it('round-trips a subscription and an assignment', () => {
    expect(decodeSubscription(encodeSubscription(['a', 'b'], 3))).toEqual(['a', 'b']);
    const partitions = [
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 2 },
      { topic: 'b', partition: 1 },
    ];
    expect(decodeAssignment(encodeAssignment(partitions))).toEqual(partitions);
    expect(decodeAssignment(Buffer.alloc(0))).toEqual([]);
  });

  it('reads a newer version as the newest it knows, and v0 from old clients', () => {
    const future = Buffer.concat([encodeSubscription(['t'], 1), Buffer.from([1, 2, 3])]);
    future.writeInt16BE(9, 0);
    expect(decodeSubscription(future)).toEqual(['t']);
    const v0 = new Writer();
    v0.int16(0);
    v0.int32(1);
    v0.string('old');
    v0.int32(-1);
    expect(decodeSubscription(v0.toBuffer())).toEqual(['old']);
  });

  it('treats metadata that is no subscription as none', () => {
    expect(decodeSubscription(Buffer.from([0, 0, 0xff]))).toBeNull();
    expect(decodeSubscription(Buffer.from([0xff, 0xff]))).toBeNull();
  });
});
