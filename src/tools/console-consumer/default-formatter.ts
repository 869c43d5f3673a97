import type { ConsumedRecord, TimestampType } from '../common/consumed-record.js';
import { deserializerFor, type Deserializer } from './deserializers.js';
import type { OutputChunks, RecordFormatter } from './output-chunks.js';

/** DefaultMessageFormatter's properties with Kafka's defaults, plus KIP-829's `print.topic`. */
export interface DefaultFormatterConfig {
  printTopic: boolean;
  printTimestamp: boolean;
  printPartition: boolean;
  printOffset: boolean;
  printHeaders: boolean;
  printKey: boolean;
  printValue: boolean;
  keySeparator: string;
  lineSeparator: string;
  headersSeparator: string;
  nullLiteral: string;
  /** key.deserializer, value.deserializer, headers.deserializer: Kafka class names; without one the bytes print as they are. */
  keyDeserializer?: Deserializer;
  valueDeserializer?: Deserializer;
  headersDeserializer?: Deserializer;
}

/** Reads `--property` values as DefaultMessageFormatter.configure does; unknown keys are ignored. */
export function defaultFormatterConfig(props: ReadonlyMap<string, string>): DefaultFormatterConfig {
  const bool = (key: string, fallback: boolean): boolean => {
    const v = props.get(key);
    return v === undefined ? fallback : v.trim().toLowerCase() === 'true';
  };
  return {
    printTopic: bool('print.topic', false),
    printTimestamp: bool('print.timestamp', false),
    printPartition: bool('print.partition', false),
    printOffset: bool('print.offset', false),
    printHeaders: bool('print.headers', false),
    printKey: bool('print.key', false),
    printValue: bool('print.value', true),
    keySeparator: props.get('key.separator') ?? '\t',
    lineSeparator: props.get('line.separator') ?? '\n',
    headersSeparator: props.get('headers.separator') ?? ',',
    nullLiteral: props.get('null.literal') ?? 'null',
    ...deserializer(props, 'key.deserializer', 'keyDeserializer'),
    ...deserializer(props, 'value.deserializer', 'valueDeserializer'),
    ...deserializer(props, 'headers.deserializer', 'headersDeserializer'),
  };
}

function deserializer<K extends string>(props: ReadonlyMap<string, string>, key: string, field: K): Partial<Record<K, Deserializer>> {
  const className = props.get(key);
  return className === undefined ? {} : ({ [field]: deserializerFor(className, key) } as Record<K, Deserializer>);
}

const TIMESTAMP_LABEL: Record<TimestampType, string | undefined> = {
  CreateTime: 'CreateTime',
  LogAppendTime: 'LogAppendTime',
  NoTimestampType: undefined,
};

/**
 * DefaultMessageFormatter: fields in Kafka's fixed order (timestamp, partition, offset, headers,
 * key, value), each followed by `key.separator` when a later field is printed, the last one by
 * `line.separator`. `print.topic` (KIP-829, which Kafka never merged: with `--include` its output
 * cannot tell topics apart) puts `Topic:<name>` first, as the KIP's example does.
 */
export function defaultFormatter(c: DefaultFormatterConfig): RecordFormatter {
  type Field = (r: ConsumedRecord, out: OutputChunks) => void;
  const fields: Field[] = [];
  if (c.printTopic) fields.push((r, out) => out.text(`Topic:${r.topic}`));
  if (c.printTimestamp) {
    fields.push((r, out) => {
      const label = TIMESTAMP_LABEL[r.timestampType];
      out.text(label === undefined ? 'NO_TIMESTAMP' : `${label}:${r.timestamp}`);
    });
  }
  if (c.printPartition) fields.push((r, out) => out.text(`Partition:${r.partition}`));
  if (c.printOffset) fields.push((r, out) => out.text(`Offset:${r.offset}`));
  if (c.printHeaders) {
    fields.push((r, out) => {
      if (r.headers.length === 0) return out.text('NO_HEADERS');
      r.headers.forEach((h, i) => {
        out.text(`${i === 0 ? '' : c.headersSeparator}${h.key}:`);
        writeNullable(h.value, c.nullLiteral, out, c.headersDeserializer);
      });
    });
  }
  if (c.printKey) fields.push((r, out) => writeNullable(r.key, c.nullLiteral, out, c.keyDeserializer));
  if (c.printValue) fields.push((r, out) => writeNullable(r.value, c.nullLiteral, out, c.valueDeserializer));
  const last = fields.length - 1;
  return (record, out) => {
    for (let i = 0; i < fields.length; i++) {
      fields[i]!(record, out);
      out.text(i === last ? c.lineSeparator : c.keySeparator);
    }
  };
}

function writeNullable(bytes: Buffer | null, nullLiteral: string, out: OutputChunks, deserialize?: Deserializer): void {
  const shown = bytes === null || deserialize === undefined ? bytes : deserialize(bytes);
  if (shown === null) out.text(nullLiteral);
  else if (typeof shown === 'string') out.text(shown);
  else out.bytes(shown);
}
