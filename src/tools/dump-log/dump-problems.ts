/**
 * What DumpLogSegments collects while it dumps and prints on stderr at the end: index entries
 * that do not match the log, time index faults, and offsets that do not follow each other.
 */
export class DumpProblems {
  /** Per offset index (absolute path): [index offset, log offset], newest first as Kafka lists them. */
  readonly indexMismatches = new Map<string, Array<[bigint, bigint]>>();
  readonly timeIndexMismatches = new Map<string, Array<[bigint, bigint]>>();
  readonly outOfOrderTimestamps = new Map<string, Array<[bigint, bigint]>>();
  readonly offsetsNotFound = new Map<string, Array<[bigint, bigint]>>();
  /** Per segment: [offset, the offset after it], newest first. */
  readonly nonConsecutive = new Map<string, Array<[bigint, bigint]>>();

  /** Kafka prepends to a List for these, so they print newest first. */
  static prepend(map: Map<string, Array<[bigint, bigint]>>, file: string, pair: [bigint, bigint]): void {
    map.set(file, [pair, ...(map.get(file) ?? [])]);
  }

  static append(map: Map<string, Array<[bigint, bigint]>>, file: string, pair: [bigint, bigint]): void {
    const list = map.get(file) ?? [];
    list.push(pair);
    map.set(file, list);
  }

  /** Kafka's stderr report, in its order. */
  lines(): string[] {
    const out: string[] = [];
    for (const [file, pairs] of this.indexMismatches) {
      out.push(`Mismatches in :${file}`);
      for (const [index, log] of pairs) out.push(`  Index offset: ${index}, log offset: ${log}`);
    }
    for (const [file, pairs] of this.timeIndexMismatches) {
      out.push(`Found timestamp mismatch in :${file}`);
      for (const [index, log] of pairs) out.push(`  Index timestamp: ${index}, log timestamp: ${log}`);
    }
    for (const [file, pairs] of this.outOfOrderTimestamps) {
      out.push(`Found out of order timestamp in :${file}`);
      for (const [index, previous] of pairs) out.push(`  Index timestamp: ${index}, Previously indexed timestamp: ${previous}`);
    }
    for (const pairs of this.offsetsNotFound.values()) {
      out.push('The following indexed offsets are not found in the log.');
      for (const [index, log] of pairs) out.push(`Indexed offset: ${index}, found log offset: ${log}`);
    }
    for (const [file, pairs] of this.nonConsecutive) {
      out.push(`Non-consecutive offsets in ${file}`);
      for (const [first, second] of pairs) out.push(`  ${first} is followed by ${second}`);
    }
    return out;
  }
}
