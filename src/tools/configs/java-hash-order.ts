/** Java's String.hashCode. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The order a `new HashMap<>(n)` filled with `n` entries iterates them in: by bucket (the hash
 * spread as HashMap.hash does, masked by the table size the puts grew it to), ties in insertion
 * order. Kafka's tools print maps in this order, so matching their output means following it.
 */
export function javaHashMapOrder<T>(items: readonly T[], hash: (item: T) => number): T[] {
  let capacity = 1;
  while (capacity < items.length) capacity *= 2;
  for (let size = 1; size <= items.length; size++) {
    if (size > Math.floor(capacity * 0.75)) capacity *= 2;
  }
  const bucket = (item: T) => {
    const h = hash(item);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return items
    .map((item, index) => ({ item, index, bucket: bucket(item) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.item);
}
