import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coordinatorPartition, javaStringHashCode } from '../../../../src/broker/group/coordinator-partition.js';
import {
  decodeCoordinatorRecord,
  groupMetadataKey,
  groupMetadataRecord,
  offsetCommitRecord,
} from '../../../../src/broker/group/coordinator-records.js';
import { ProtocolError } from '../../../../src/protocol/primitives/protocol-error.js';

describe('coordinator partition', () => {
  it('hashes like java.lang.String.hashCode', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('my-group')).toBe(-1906497762);
    // Surrogate pairs count as two UTF-16 code units, as in Java.
    expect(javaStringHashCode('😀')).toBe(1772899);
  });

  it('is abs(hashCode) % partitions, with Integer.MIN_VALUE mapped to 0 like Utils.abs', () => {
    expect(coordinatorPartition('my-group', 50)).toBe(1906497762 % 50);
    expect(javaStringHashCode('polygenelubricants')).toBe(-0x80000000);
    expect(coordinatorPartition('polygenelubricants', 7)).toBe(0);
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1000 }), (id, n) => {
        const p = coordinatorPartition(id, n);
        return Number.isInteger(p) && p >= 0 && p < n;
      }),
    );
  });
});

describe('__consumer_offsets records', () => {
  it('writes an offset commit as key v1 and value v3, byte for byte as Kafka', () => {
    const r = offsetCommitRecord('g', 't', 2, { offset: 42n, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1000, expireTimestamp: -1 });
    expect(r.key.toString('hex')).toBe('0001' + '000167' + '000174' + '00000002');
    expect(r.value!.toString('hex')).toBe('0003' + '000000000000002a' + '00000005' + '00016d' + '00000000000003e8');
    expect(decodeCoordinatorRecord(r)).toEqual({
      type: 'offset',
      group: 'g',
      topic: 't',
      partition: 2,
      value: { offset: 42n, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1000, expireTimestamp: -1 },
    });
  });

  it('keeps an explicit expire timestamp in value v1', () => {
    const r = offsetCommitRecord('g', 't', 0, { offset: 1n, leaderEpoch: -1, metadata: '', commitTimestamp: 10, expireTimestamp: 99 });
    expect(r.value!.readInt16BE(0)).toBe(1);
    const decoded = decodeCoordinatorRecord(r);
    expect(decoded.type === 'offset' && decoded.value).toMatchObject({ commitTimestamp: 10, expireTimestamp: 99, leaderEpoch: -1 });
  });

  it('writes group metadata as key v2 and value v3 and reads tombstones', () => {
    const value = {
      protocolType: 'consumer',
      generation: 3,
      protocol: 'range',
      leader: 'm1',
      currentStateTimestamp: 5n,
      members: [
        {
          memberId: 'm1',
          groupInstanceId: 'i1',
          clientId: 'c',
          clientHost: '/127.0.0.1',
          rebalanceTimeout: 300,
          sessionTimeout: 100,
          subscription: Buffer.from([1, 2]),
          assignment: Buffer.from([3]),
        },
      ],
    };
    const r = groupMetadataRecord('grp', value);
    expect(r.key.toString('hex')).toBe('0002' + '0003677270');
    expect(r.value!.readInt16BE(0)).toBe(3);
    expect(decodeCoordinatorRecord(r)).toEqual({ type: 'group', group: 'grp', value });
    expect(decodeCoordinatorRecord({ key: groupMetadataKey('grp'), value: null })).toEqual({ type: 'group', group: 'grp', value: null });
  });

  it('skips record types it does not own and rejects garbage with a ProtocolError only', () => {
    expect(decodeCoordinatorRecord({ key: Buffer.from([0, 3, 0, 0]), value: Buffer.alloc(0) })).toEqual({ type: 'other' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.option(fc.uint8Array({ maxLength: 60 })), (key, value) => {
        try {
          decodeCoordinatorRecord({ key: Buffer.from(key), value: value && Buffer.from(value) });
        } catch (err) {
          return err instanceof ProtocolError;
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});
