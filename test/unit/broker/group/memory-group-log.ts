import type { CoordinatorRecord } from '../../../../src/broker/group/coordinator-records.js';
import { CoordinatorUnavailableError, type GroupLog } from '../../../../src/broker/group/group-log.js';

/** The offsets topic as arrays of records per partition; `failing` simulates an unwritable topic. */
export class MemoryGroupLog implements GroupLog {
  readonly partitions: CoordinatorRecord[][];
  failing = false;

  constructor(count = 4) {
    this.partitions = Array.from({ length: count }, () => []);
  }

  partitionCount(): number {
    return this.partitions.length;
  }

  exists(): boolean {
    return true;
  }

  async ensureExists(): Promise<void> {
    if (this.failing) throw new CoordinatorUnavailableError('offsets topic unavailable');
  }

  append(partition: number, records: readonly CoordinatorRecord[]): void {
    if (this.failing) throw new CoordinatorUnavailableError('offsets topic unavailable');
    this.partitions[partition]!.push(...records.map((r) => ({ key: Buffer.from(r.key), value: r.value && Buffer.from(r.value) })));
  }

  replay(partition: number, visit: (record: CoordinatorRecord) => void): void {
    for (const r of this.partitions[partition]!) visit(r);
  }

  logEndOffset(partition: number): bigint {
    return BigInt(this.partitions[partition]!.length);
  }

  /** One replica: everything appended is replicated. */
  awaitReplicated(): 'NONE' {
    return 'NONE';
  }

  get records(): CoordinatorRecord[] {
    return this.partitions.flat();
  }
}
