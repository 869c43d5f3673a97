/** The consumer's record shape, as the formatters read it. */
export type { ConsumerRecord as ConsumedRecord, RecordHeader, TimestampType } from '../../client/consumer/consumer-record.js';
