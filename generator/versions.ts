/** An inclusive version interval; `hi` is Infinity for open ranges ("3+"). */
export interface VersionRange {
  readonly lo: number;
  readonly hi: number;
}

/** Parses Kafka's version syntax: "3+", "0-2", "5" or "none" (null). */
export function parseVersions(text: string | undefined, fallback: VersionRange | null = null): VersionRange | null {
  if (text === undefined) return fallback;
  if (text === 'none') return null;
  const open = /^(\d+)\+$/.exec(text);
  if (open) return { lo: Number(open[1]), hi: Infinity };
  const closed = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (closed) return { lo: Number(closed[1]), hi: Number(closed[2] ?? closed[1]) };
  throw new Error(`invalid version range "${text}"`);
}

export function intersect(a: VersionRange | null, b: VersionRange | null): VersionRange | null {
  if (a === null || b === null) return null;
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : null;
}

/** Smallest range covering both. */
export function hull(a: VersionRange | null, b: VersionRange | null): VersionRange | null {
  if (a === null) return b;
  if (b === null) return a;
  return { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) };
}

export function contains(outer: VersionRange | null, inner: VersionRange | null): boolean {
  if (inner === null) return true;
  return outer !== null && outer.lo <= inner.lo && inner.hi <= outer.hi;
}

export function includes(range: VersionRange | null, version: number): boolean {
  return range !== null && range.lo <= version && version <= range.hi;
}
