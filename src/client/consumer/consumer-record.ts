import type { RecordHeader } from '../../protocol/records/record.js';

export type { RecordHeader } from '../../protocol/records/record.js';

export type TimestampType = 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';

/**
 * A consumed record as formatters see it. Offsets and timestamps are decimal strings (int64).
 * The fetcher hands out views (record-view.ts) valid only during the callback they are passed to.
 */
export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly timestampType: TimestampType;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}
