/** Java's String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The `__consumer_offsets` partition that holds a group (and whose leader coordinates it):
 * Kafka's `Utils.abs(groupId.hashCode) % partitions`, where Utils.abs maps MIN_VALUE to 0.
 */
export function coordinatorPartition(groupId: string, partitionCount: number): number {
  const h = javaStringHashCode(groupId);
  return (h === -0x80000000 ? 0 : Math.abs(h)) % partitionCount;
}
