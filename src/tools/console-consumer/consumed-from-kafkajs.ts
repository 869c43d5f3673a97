import type { KafkaMessage } from 'kafkajs';
import type { ConsumedRecord, TimestampType } from '../common/consumed-record.js';
import { headersFromKafkajs } from '../common/record-headers.js';

/** Fields kafkajs decodes but does not type: the batch context of v2 records, legacy attributes. */
interface DecodedFields {
  batchContext?: { timestampType?: number };
  magicByte?: number;
  attributes?: number;
}

const LEGACY_LOG_APPEND_TIME = 0x08;

/** A kafkajs message as kts's formatters see it. Magic 0 messages carry no timestamp (-1). */
export function consumedRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  const type = timestampType(m as DecodedFields);
  return {
    topic,
    partition,
    offset: m.offset,
    timestamp: type === 'NoTimestampType' ? '-1' : m.timestamp,
    timestampType: type,
    key: m.key ?? null,
    value: m.value ?? null,
    headers: headersFromKafkajs(m.headers),
  };
}

function timestampType({ batchContext, magicByte, attributes }: DecodedFields): TimestampType {
  const v2 = batchContext?.timestampType;
  if (v2 !== undefined) return v2 === 1 ? 'LogAppendTime' : 'CreateTime';
  if (magicByte === 1) return (attributes ?? 0) & LEGACY_LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime';
  return 'NoTimestampType';
}
