import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/broker/api-error.js';
import { ProducerStateManager } from '../../../../src/broker/partition/producer-state.js';

const INT32_MAX = 0x7fffffff;
const batch = (baseSequence: number, count: number, producerEpoch = 0) => ({
  producerId: 7n,
  producerEpoch,
  baseSequence,
  lastOffsetDelta: count - 1,
});

function refusal(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    return err instanceof ApiError ? err.errorName : String(err);
  }
}

describe('ProducerStateManager', () => {
  it('continues across the int32 sequence wrap and recognises a wrapped batch as a duplicate', () => {
    const state = new ProducerStateManager('t-0');
    state.onAppended(batch(INT32_MAX - 1, 2), 0n, 1n, 0n);
    const wrapped = batch(0, 3);
    expect(state.checkAppend(wrapped, 2n)).toBeUndefined();
    state.onAppended(wrapped, 2n, 4n, 0n);
    expect(state.checkAppend(wrapped, 5n)).toMatchObject({ firstOffset: 2n, lastOffset: 4n });
    const straddling = batch(INT32_MAX - 1, 4);
    expect(refusal(() => state.checkAppend(straddling, 5n))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
  });

  it('remembers only the last five batches of a producer', () => {
    const state = new ProducerStateManager('t-0');
    for (let i = 0; i < 6; i++) state.onAppended(batch(i, 1), BigInt(i), BigInt(i), 0n);
    expect(state.checkAppend(batch(1, 1), 6n)).toMatchObject({ firstOffset: 1n });
    // The oldest batch has been forgotten: a retry of it is now a sequence error.
    expect(refusal(() => state.checkAppend(batch(0, 1), 6n))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
  });

  it('accepts any first sequence from an unknown producer and fences older epochs', () => {
    const state = new ProducerStateManager('t-0');
    expect(state.checkAppend(batch(42, 1), 0n)).toBeUndefined();
    state.onAppended(batch(0, 1, 3), 0n, 0n, 0n);
    expect(refusal(() => state.checkAppend(batch(1, 1, 2), 1n))).toBe('INVALID_PRODUCER_EPOCH');
    expect(refusal(() => state.checkAppend(batch(1, 1, 4), 1n))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(state.checkAppend(batch(0, 1, 4), 1n)).toBeUndefined();
  });
});
