/** The consumer's record shape, shared by the kafkajs and native consume paths and the formatters. */
export type { ConsumerRecord as ConsumedRecord, RecordHeader, TimestampType } from '../../client/consumer/consumer-record.js';
