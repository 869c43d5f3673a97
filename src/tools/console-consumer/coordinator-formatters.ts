import { stringifyJson, type JsonObject, type JsonValue } from '../../protocol/primitives/json.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { COORDINATOR_RECORD_TYPES, TRANSACTION_LOG_RECORD, type RecordSchema } from '../common/coordinator-records.js';
import type { RecordFormatter } from './output-chunks.js';

/** Kafka 3.9's formatters of the coordinators' internal topics. */
export type CoordinatorFormatterKind = 'offsets' | 'group-metadata' | 'transaction-log';

/** What a record's key version picks: its key schema, `skip` (nothing is printed), or undefined for `unknown`. */
type KeyRule = (version: number) => RecordSchema | 'skip' | undefined;

const inRange = (schema: RecordSchema, version: number): boolean => version >= schema.versions.lo && version <= schema.versions.hi;

const OFFSET_COMMIT = COORDINATOR_RECORD_TYPES.get(0)!;
const GROUP_METADATA = COORDINATOR_RECORD_TYPES.get(2)!;

/**
 * OffsetsMessageFormatter prints offset commits and skips group metadata; GroupMetadataMessageFormatter
 * the reverse; TransactionLogMessageFormatter transaction metadata. Each reads every value with
 * its one value schema, as Kafka's do.
 */
const FORMATTERS: Readonly<Record<CoordinatorFormatterKind, { key: KeyRule; value: RecordSchema }>> = {
  offsets: {
    key: (v) => (inRange(OFFSET_COMMIT.key, v) ? OFFSET_COMMIT.key : inRange(GROUP_METADATA.key, v) ? 'skip' : undefined),
    value: OFFSET_COMMIT.value,
  },
  'group-metadata': {
    key: (v) => (inRange(OFFSET_COMMIT.key, v) ? 'skip' : inRange(GROUP_METADATA.key, v) ? GROUP_METADATA.key : undefined),
    value: GROUP_METADATA.value,
  },
  'transaction-log': {
    key: (v) => (inRange(TRANSACTION_LOG_RECORD.key, v) ? TRANSACTION_LOG_RECORD.key : undefined),
    value: TRANSACTION_LOG_RECORD.value,
  },
};

/**
 * ApiMessageFormatter.writeTo: `{"key":{"version":V,"data":{…}},"value":{"version":V,"data":{…}}}`
 * as Kafka's JSON converters write the records (`"data":"unknown"` for a version the formatter does
 * not read, `null` for a missing key or a tombstone). Kafka 3.9 writes no line separator between
 * records, so they run together; kts ends each with a newline.
 */
export function coordinatorFormatter(kind: CoordinatorFormatterKind): RecordFormatter {
  const { key: keyRule, value: valueSchema } = FORMATTERS[kind];
  return (record, out) => {
    let key: JsonValue = null;
    if (record.key !== null) {
      const r = new Reader(record.key);
      const version = r.int16();
      const schema = keyRule(version);
      if (schema === 'skip') return;
      key = { version, data: schema === undefined ? 'unknown' : schema.toJson(r, version) };
    }
    let value: JsonValue = null;
    if (record.value !== null) {
      const r = new Reader(record.value);
      const version = r.int16();
      value = { version, data: inRange(valueSchema, version) ? valueSchema.toJson(r, version) : 'unknown' };
    }
    const json: JsonObject = { key, value };
    out.text(`${stringifyJson(json)}\n`);
  };
}
