import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/util/errors.js';
import { validateConsumerFlags, type ConsumerFlags } from '../../../../src/tools/console-consumer/consumer-options.js';
import { EndTracker } from '../../../../src/tools/console-consumer/end-tracker.js';

const props = (o: Record<string, string> = {}) => new Map(Object.entries(o));

function usage(flags: ConsumerFlags, p = props()): string {
  try {
    validateConsumerFlags(flags, p);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('console consumer options (ConsoleConsumerOptions)', () => {
  it("reports Kafka's messages for inconsistent flags", () => {
    expect(usage({})).toBe('Exactly one of --include/--topic is required.');
    expect(usage({ topic: 'a', include: 'b' })).toBe('Exactly one of --include/--topic is required.');
    expect(usage({ include: 'a', partition: 0 })).toBe('The topic is required when partition is specified.');
    expect(usage({ topic: 'a', partition: 0, offset: '1', fromBeginning: true })).toBe(
      'Options from-beginning and offset cannot be specified together.',
    );
    expect(usage({ topic: 'a', offset: '1' })).toBe('The partition is required when offset is specified.');
    expect(usage({ topic: 'a', group: 'g', partition: 0 })).toBe('Options group and partition cannot be specified together.');
    expect(usage({ topic: 'a', group: 'g' }, props({ 'group.id': 'h' }))).toBe(
      "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: 'g', 'h'",
    );
    expect(usage({ topic: 'a', fromBeginning: true }, props({ 'auto.offset.reset': 'latest' }))).toBe(
      "Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', please remove one option",
    );
    for (const bad of ['-1', 'x', '9223372036854775808']) {
      expect(usage({ topic: 'a', partition: 0, offset: bad })).toBe(
        `The provided offset value '${bad}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`,
      );
    }
    expect(usage({ topic: 'a', isolationLevel: 'serializable' })).toContain("invalid isolation level 'serializable'");
  });

  it('reads without a group when none is named', () => {
    expect(validateConsumerFlags({ topic: 'a' }, props())).toMatchObject({ group: null, start: { kind: 'latest' } });
  });

  it('commits for a named group (from --group or group.id) unless auto-commit is off', () => {
    expect(validateConsumerFlags({ topic: 'a', group: 'g' }, props({ 'group.id': 'g' }))).toMatchObject({
      group: { id: 'g', autoCommit: true },
    });
    expect(validateConsumerFlags({ topic: 'a' }, props({ 'group.id': 'g', 'enable.auto.commit': 'false' })).group).toEqual({
      id: 'g',
      autoCommit: false,
    });
  });

  it('resolves the start position', () => {
    const start = (flags: ConsumerFlags, p = props()) => validateConsumerFlags({ topic: 'a', ...flags }, p).start;
    expect(start({ fromBeginning: true })).toEqual({ kind: 'earliest' });
    expect(start({}, props({ 'auto.offset.reset': 'earliest' }))).toEqual({ kind: 'earliest' });
    expect(start({ partition: 1 })).toEqual({ kind: 'latest' });
    expect(start({ partition: 1, offset: 'EARLIEST' })).toEqual({ kind: 'earliest' });
    expect(start({ partition: 1, offset: '0042' })).toEqual({ kind: 'offset', offset: '42' });
  });

  it('compiles --include as a full-match regex', () => {
    const req = validateConsumerFlags({ include: 'a.*,b' }, props());
    const source = req.source as { include: RegExp };
    expect(['a1', 'b', 'xb', 'ab'].filter((t) => source.include.test(t))).toEqual(['a1', 'b', 'ab']);
  });
});

describe('--exit-at-end tracking', () => {
  const ends = new Map([
    ['t:0', 3n],
    ['t:1', 5n],
    ['u:0', 10n],
  ]);

  it('is done at once when every assigned partition is already at its end', () => {
    const tracker = new EndTracker(ends);
    tracker.assign([{ topic: 't', partition: 1, offset: 5n }]);
    expect(tracker.done).toBe(true);
  });

  it('is done when every assigned partition has been read to its end', () => {
    const tracker = new EndTracker(ends);
    tracker.assign([
      { topic: 't', partition: 0, offset: 0n },
      { topic: 't', partition: 1, offset: 5n },
      { topic: 'u', partition: 0, offset: 2n },
    ]);
    tracker.reached('t', 0, 3n);
    expect(tracker.done).toBe(false);
    tracker.reached('u', 0, 9n);
    expect(tracker.done).toBe(false);
    tracker.reached('u', 0, 10n);
    expect(tracker.done).toBe(true);
  });

  it('starts over with each assignment, partitions it has no end for counting as done', () => {
    const tracker = new EndTracker(ends);
    tracker.assign([{ topic: 't', partition: 0, offset: 0n }]);
    expect(tracker.done).toBe(false);
    tracker.assign([
      { topic: 'u', partition: 0, offset: 10n },
      { topic: 'new', partition: 0, offset: 0n },
    ]);
    expect(tracker.done).toBe(true);
  });
});
