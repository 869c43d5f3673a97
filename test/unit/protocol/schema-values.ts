import { defaultValue, type ElementType, type FieldSpec, type StructSpec } from '../../../generator/schema.js';
import { includes } from '../../../generator/versions.js';

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXT = ['', 'a', 'topic-1', '__consumer_offsets', 'é', '中文', '😀 emoji', 'x'.repeat(300)];

/**
 * A random value of `struct` as it exists at `version`: fields the version lacks hold their
 * defaults, which is exactly what a decoder returns for them, so decode(encode(x)) must equal x.
 */
export function randomStruct(struct: StructSpec, version: number, next: () => number, depth = 0): Record<string, unknown> {
  return Object.fromEntries(
    struct.fields.map((f) => [f.prop, includes(f.versions, version) ? randomField(f, version, next, depth) : defaultValue(f)]),
  );
}

function randomField(f: FieldSpec, version: number, next: () => number, depth: number): unknown {
  if (includes(f.nullableVersions, version) && next() < 0.2) return null;
  const t = f.type;
  if (t.kind === 'array') {
    const n = depth > 3 ? 0 : Math.floor(next() * 4);
    return Array.from({ length: n }, () => randomElement(t.element, version, next, depth + 1));
  }
  return randomElement(t, version, next, depth + 1);
}

function int(next: () => number, bits: number, signed = true): number {
  const n = Math.floor(next() * 2 ** bits);
  return signed ? n - 2 ** (bits - 1) : n;
}

function randomBytes(next: () => number, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => int(next, 8, false)));
}

function randomElement(t: ElementType, version: number, next: () => number, depth: number): unknown {
  if (t.kind === 'struct') return randomStruct(t.struct, version, next, depth);
  switch (t.name) {
    case 'bool':
      return next() < 0.5;
    case 'int8':
      return int(next, 8);
    case 'int16':
      return int(next, 16);
    case 'uint16':
      return int(next, 16, false);
    case 'int32':
      return next() < 0.2 ? -1 : int(next, 32);
    case 'int64':
      return BigInt.asIntN(64, (BigInt(int(next, 32, false)) << 32n) | BigInt(int(next, 32, false)));
    case 'float64':
      return (next() - 0.5) * 1e12;
    case 'uuid':
      return randomBytes(next, 16).toString('base64url');
    case 'string':
      return TEXT[Math.floor(next() * TEXT.length)]!;
    case 'bytes':
      return randomBytes(next, Math.floor(next() * 20));
    case 'records':
      // Sometimes past the writer's zero-copy threshold, to exercise chunked output.
      return randomBytes(next, next() < 0.3 ? 1500 : Math.floor(next() * 100));
  }
}

/**
 * `value` as a decoder at `version` returns it: fields the version lacks, and fields left out of
 * `value`, take their defaults. Lets a test write only the fields it cares about.
 */
export function atVersion(struct: StructSpec, value: Record<string, unknown>, version: number): Record<string, unknown> {
  return Object.fromEntries(
    struct.fields.map((f) => {
      const given = value[f.prop];
      if (!includes(f.versions, version) || given === undefined) return [f.prop, defaultValue(f)];
      const child = f.type.kind === 'array' ? f.type.element : f.type;
      if (child.kind !== 'struct' || given === null) return [f.prop, given];
      const norm = (x: unknown) => atVersion(child.struct, x as Record<string, unknown>, version);
      return [f.prop, Array.isArray(given) ? given.map(norm) : norm(given)];
    }),
  );
}
