import { afterEach, describe, expect, it, vi } from 'vitest';
import { SenderTurns } from '../../../../src/tools/common/sender-turns.js';

describe('SenderTurns', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** How many of `records` calls to due() ask for a turn. */
  const dueCount = (turns: SenderTurns, records: number) => Array.from({ length: records }, () => turns.due()).filter(Boolean).length;

  it('asks for a turn once a millisecond has passed, looking at the clock every 64 records', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const turns = new SenderTurns();
    expect(dueCount(turns, 640)).toBe(0);
    vi.advanceTimersByTime(1);
    // The clock is read at the 64th record after the millisecond passed, and from then on until a turn.
    expect(dueCount(turns, 63)).toBe(0);
    expect(turns.due()).toBe(true);
    expect(dueCount(turns, 128)).toBe(2);
  });

  it('starts the next millisecond once the turn is over', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const turns = new SenderTurns();
    vi.advanceTimersByTime(5);
    expect(dueCount(turns, 64)).toBe(1);
    await turns.turn();
    expect(dueCount(turns, 6400)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(dueCount(turns, 64)).toBe(1);
  });
});
