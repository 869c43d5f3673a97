import { intersect, type VersionRange } from './versions.js';

/** A version test to emit: statically true/false within the known interval, or an expression on `v`. */
export interface Condition {
  readonly test: boolean | string;
  /** The opposite test, for an `if` with only an else arm. */
  readonly negated: boolean | string;
  /** What is known about `v` when the test holds / fails. */
  readonly whenTrue: VersionRange;
  readonly whenFalse: VersionRange;
}

/** How to test "v is in `range`" when `v` is already known to lie in `known`. */
export function versionCondition(range: VersionRange | null, known: VersionRange): Condition {
  const r = intersect(range, known);
  if (r === null) return { test: false, negated: true, whenTrue: known, whenFalse: known };
  if (r.lo === known.lo && r.hi === known.hi) return { test: true, negated: false, whenTrue: known, whenFalse: known };
  if (r.hi === known.hi) {
    return { test: `v >= ${r.lo}`, negated: `v < ${r.lo}`, whenTrue: r, whenFalse: { lo: known.lo, hi: r.lo - 1 } };
  }
  if (r.lo === known.lo) {
    return { test: `v <= ${r.hi}`, negated: `v > ${r.hi}`, whenTrue: r, whenFalse: { lo: r.hi + 1, hi: known.hi } };
  }
  if (r.lo === r.hi) return { test: `v === ${r.lo}`, negated: `v !== ${r.lo}`, whenTrue: r, whenFalse: known };
  return { test: `v >= ${r.lo} && v <= ${r.hi}`, negated: `(v < ${r.lo} || v > ${r.hi})`, whenTrue: r, whenFalse: known };
}

/** `c ? a : b`, folded when the test is static or both arms agree. */
export function ternary(c: Condition, whenTrue: () => string, whenFalse: () => string): string {
  if (c.test === true) return whenTrue();
  if (c.test === false) return whenFalse();
  const a = whenTrue();
  const b = whenFalse();
  const arm = (x: string) => (x.includes(' ? ') ? `(${x})` : x);
  return a === b ? a : `${c.test} ? ${arm(a)} : ${arm(b)}`;
}

/** An if/else over statement lists, folded like `ternary`; one-line arms stay unbraced. */
export function ifElse(c: Condition, whenTrue: () => string[], whenFalse: () => string[]): string[] {
  if (c.test === true) return whenTrue();
  if (c.test === false) return whenFalse();
  const a = whenTrue();
  const b = whenFalse();
  if (a.join('\n') === b.join('\n')) return a;
  if (a.length === 0 && b.length === 0) return [];
  if (a.length === 0)
    return ifElse(
      { ...c, test: c.negated, negated: c.test },
      () => b,
      () => [],
    );
  const simple = (lines: string[]) => lines.length === 1 && !lines[0]!.startsWith('if ');
  if (b.length === 0 && simple(a)) return [`if (${c.test}) ${a[0]}`];
  if (simple(a) && simple(b)) return [`if (${c.test}) ${a[0]}`, `else ${b[0]}`];
  if (simple(a) && b.length === 1) return [`if (${c.test}) ${a[0]}`, `else ${b[0]}`];
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
  if (b.length === 0) return [`if (${c.test}) {`, ...indent(a), '}'];
  return [`if (${c.test}) {`, ...indent(a), '} else {', ...indent(b), '}'];
}
