import { UsageError } from '../../util/errors.js';
import { ProtocolError } from '../../protocol/primitives/protocol-error.js';
import { stringifyJson, type JsonObject, type JsonValue } from '../../protocol/primitives/json.js';
import { Reader } from '../../protocol/primitives/reader.js';
import {
  CONSUMER_PROTOCOL_ASSIGNMENT_VERSIONS,
  consumerProtocolAssignmentToJson,
  decodeConsumerProtocolAssignment,
} from '../../protocol/generated/data/consumer-protocol-assignment.js';
import {
  CONSUMER_PROTOCOL_SUBSCRIPTION_VERSIONS,
  consumerProtocolSubscriptionToJson,
  decodeConsumerProtocolSubscription,
} from '../../protocol/generated/data/consumer-protocol-subscription.js';
import {
  TRANSACTION_LOG_KEY_VERSIONS,
  decodeTransactionLogKey,
} from '../../protocol/generated/transaction-coordinator/transaction-log-key.js';
import {
  TRANSACTION_LOG_VALUE_VERSIONS,
  decodeTransactionLogValue,
} from '../../protocol/generated/transaction-coordinator/transaction-log-value.js';
import { COORDINATOR_RECORD_TYPES, type RecordSchema } from '../common/coordinator-records.js';

/** A record as the parsers see it. */
export interface ParsedRecord {
  offset: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

/** What DumpLogSegments prints for a record with --print-data-log: `key: …` and ` payload: …`, each when present. */
export interface ParsedMessage {
  key?: string;
  payload?: string;
}

export type MessageParser = (record: ParsedRecord) => ParsedMessage;

/** Kafka's Decoder classes kts can stand in for (tools-api's and the deprecated kafka.serializer ones). */
const DECODERS: ReadonlyMap<string, (bytes: Buffer) => string> = new Map([
  ['org.apache.kafka.tools.api.StringDecoder', (b: Buffer) => b.toString('utf8')],
  ['org.apache.kafka.tools.api.IntegerDecoder', (b: Buffer) => String(readFixed(b, 4))],
  ['org.apache.kafka.tools.api.LongDecoder', (b: Buffer) => String(readFixed(b, 8))],
]);

const DEPRECATED_DECODERS: ReadonlyMap<string, string> = new Map([
  ['kafka.serializer.StringDecoder', 'org.apache.kafka.tools.api.StringDecoder'],
  ['kafka.serializer.IntegerDecoder', 'org.apache.kafka.tools.api.IntegerDecoder'],
  ['kafka.serializer.LongDecoder', 'org.apache.kafka.tools.api.LongDecoder'],
]);

export const STRING_DECODER = 'org.apache.kafka.tools.api.StringDecoder';

/**
 * `--key-decoder-class`/`--value-decoder-class`: kts cannot load Java classes, so it knows
 * Kafka's own decoders by name. A deprecated kafka.serializer name prints Kafka's notice line.
 */
export function decoderFor(className: string, print: (line: string) => void): (bytes: Buffer) => string {
  const replacement = DEPRECATED_DECODERS.get(className);
  if (replacement !== undefined) {
    print(`${className} is deprecated. Please use ${replacement} instead`);
    return DECODERS.get(replacement)!;
  }
  const decoder = DECODERS.get(className);
  if (decoder === undefined) {
    throw new UsageError(`Error: kts cannot load decoder class ${className} (use ${[...DECODERS.keys()].join(', ')})`);
  }
  return decoder;
}

function readFixed(b: Buffer, size: 4 | 8): number | bigint {
  if (b.length < size) throw new Error('java.nio.BufferUnderflowException');
  return size === 4 ? b.readInt32BE(0) : b.readBigInt64BE(0);
}

/** DecoderMessageParser: each present part through its decoder. */
export function decoderParser(keyDecoder: (b: Buffer) => string, valueDecoder: (b: Buffer) => string): MessageParser {
  return (record) => ({
    ...(record.key !== null ? { key: keyDecoder(record.key) } : {}),
    ...(record.value !== null ? { payload: valueDecoder(record.value) } : {}),
  });
}

/**
 * OffsetsMessageParser (--offsets-decoder): `__consumer_offsets` records as JSON, the key as
 * `{"type":"<record type>","data":{…}}` and the value as `{"version":"<v>","data":{…}}`; a
 * tombstone's payload is `<DELETE>`. A consumer group's member subscriptions and assignments are
 * decoded too. Unknown record types and unreadable records are reported in the key, as Kafka does.
 */
export const offsetsParser: MessageParser = (record) => {
  if (record.key === null) {
    throw new Error(`Failed to decode message at offset ${record.offset} using offset topic decoder (message had a missing key)`);
  }
  try {
    const keyReader = new Reader(record.key);
    const type = readVersion(keyReader, 'key');
    const schemas = COORDINATOR_RECORD_TYPES.get(type);
    if (schemas === undefined) return { key: `Unknown record type ${type} at offset ${record.offset}, skipping.` };
    const key = readMessage(schemas.key, keyReader, type, 'key');
    const keyJson = stringifyJson({ type: String(type), data: key });
    if (record.value === null) return { key: keyJson, payload: '<DELETE>' };
    const valueReader = new Reader(record.value);
    const version = readVersion(valueReader, 'value');
    const value = readMessage(schemas.value, valueReader, version, 'value');
    if (type === 2) decodeConsumerMembers(value);
    return { key: keyJson, payload: stringifyJson({ version: String(version), data: value }) };
  } catch (err) {
    return { key: `Error at offset ${record.offset}, skipping. ${(err as Error).message}` };
  }
};

function readVersion(r: Reader, part: 'key' | 'value'): number {
  if (r.remaining < 2) throw new Error(`Could not read version from ${part}'s buffer.`);
  return r.int16();
}

function readMessage(schema: RecordSchema, r: Reader, version: number, part: 'key' | 'value'): JsonObject {
  try {
    if (version < schema.versions.lo || version > schema.versions.hi) throw new Error(`Can't read version ${version} of ${schema.name}`);
    return schema.toJson(r, version);
  } catch (err) {
    const why = err instanceof ProtocolError || err instanceof Error ? err.message : String(err);
    throw new Error(`Could not read record with version ${version} from ${part}'s buffer due to: ${why}.`);
  }
}

/** prepareGroupMetadataValue: a `consumer` group's member subscriptions and assignments, decoded where they decode. */
function decodeConsumerMembers(value: JsonObject): void {
  if (value.protocolType !== 'consumer' || !Array.isArray(value.members)) return;
  for (const member of value.members as JsonObject[]) {
    replaceBytes(member, 'subscription', (r, v) =>
      v > CONSUMER_PROTOCOL_SUBSCRIPTION_VERSIONS.hi
        ? null
        : consumerProtocolSubscriptionToJson(decodeConsumerProtocolSubscription(r, v), v),
    );
    replaceBytes(member, 'assignment', (r, v) =>
      v > CONSUMER_PROTOCOL_ASSIGNMENT_VERSIONS.hi ? null : consumerProtocolAssignmentToJson(decodeConsumerProtocolAssignment(r, v), v),
    );
  }
}

function replaceBytes(node: JsonObject, field: string, read: (r: Reader, version: number) => JsonValue | null): void {
  const base64 = node[field];
  if (typeof base64 !== 'string') return;
  try {
    const r = new Reader(Buffer.from(base64, 'base64'));
    const decoded = read(r, r.int16());
    if (decoded !== null) node[field] = decoded;
  } catch {
    // Kafka keeps the original bytes when they do not decode.
  }
}

/** TransactionState ids as the coordinator stores them, named as Kafka prints them. */
const TRANSACTION_STATES = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
];

/**
 * TransactionLog.formatRecordKeyAndValue (--transaction-log-decoder): `__transaction_state`
 * records as `transaction_metadata::transactionalId=<id>` and the metadata line, or `<DELETE>`.
 */
export const transactionLogParser: MessageParser = (record) => {
  const keyReader = new Reader(record.key ?? Buffer.alloc(0));
  const keyVersion = keyReader.int16();
  if (keyVersion < TRANSACTION_LOG_KEY_VERSIONS.lo || keyVersion > TRANSACTION_LOG_KEY_VERSIONS.hi) {
    return { key: `unknown::version=${keyVersion}` };
  }
  const { transactionalId } = decodeTransactionLogKey(keyReader, keyVersion);
  const key = `transaction_metadata::transactionalId=${transactionalId}`;
  if (record.value === null) return { key, payload: '<DELETE>' };
  const r = new Reader(record.value);
  const version = r.int16();
  if (version < TRANSACTION_LOG_VALUE_VERSIONS.lo || version > TRANSACTION_LOG_VALUE_VERSIONS.hi) {
    throw new Error(`Unknown version ${version} from the transaction log message value`);
  }
  const v = decodeTransactionLogValue(r, version);
  const state = TRANSACTION_STATES[v.transactionStatus];
  if (state === undefined) throw new Error(`Unknown transaction state id ${v.transactionStatus} from the transaction status message`);
  const partitions = state === 'Empty' ? [] : (v.transactionPartitions ?? []).flatMap((t) => t.partitionIds.map((p) => `${t.topic}-${p}`));
  return {
    key,
    payload:
      `producerId:${v.producerId},producerEpoch:${v.producerEpoch},state=${state},partitions=[${[...new Set(partitions)].join(',')}],` +
      `txnLastUpdateTimestamp=${v.transactionLastUpdateTimestampMs},txnTimeoutMs=${v.transactionTimeoutMs}`,
  };
};
