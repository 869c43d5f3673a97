/** One header as Kafka stores it: a string key and nullable bytes; order and duplicates are kept. */
export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export type TimestampType = 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';

/** A record as the consumer hands it to a formatter. Offsets and timestamps stay decimal strings (int64). */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  timestampType: TimestampType;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}
