/**
 * Kafka's `Utils.murmur2` (MurmurHash2, seed 0x9747b28c) over bytes, as a signed int32, and
 * `Utils.toPositive`. Keyed records land on `toPositive(murmur2(key)) % partitions`, so every
 * Java-compatible client puts a key on the same partition.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

export function murmur2(data: Uint8Array, start = 0, end = data.length): number {
  const length = end - start;
  let h = (SEED ^ length) | 0;
  const whole = start + (length & ~3);
  let i = start;
  for (; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= data[i + 2]! << 16;
  if (tail >= 2) h ^= data[i + 1]! << 8;
  if (tail >= 1) h = Math.imul(h ^ data[i]!, M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** `Utils.toPositive`: clears the sign bit (not Math.abs, which would fold two hashes together). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}
