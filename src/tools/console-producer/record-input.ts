import type { Message } from 'kafkajs';
import { headersToKafkajs } from '../common/record-headers.js';
import { JsonRecordError, parseJsonRecord } from '../common/record-json.js';
import { LineError, parseLine } from './line-parser.js';
import type { ReaderConfig } from './reader-properties.js';

export const INPUT_FORMATS = ['line', 'json'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** A line that cannot become a record; the message says which line and why. */
export class InputError extends Error {}

export type RecordParser = (line: string, lineNumber: number) => Message;

/**
 * Turns input lines into kafkajs messages: Kafka's LineMessageReader grammar, or the JSON lines
 * `console-consumer --output json` writes. `--partition` pins every record; otherwise a JSON
 * record's own partition is kept.
 */
export function recordParser(
  format: InputFormat,
  reader: ReaderConfig,
  partition: number | undefined,
  onNullHeader: () => void,
): RecordParser {
  const pin = (m: Message): Message => {
    if (partition !== undefined) m.partition = partition;
    return m;
  };
  if (format === 'line') {
    return (line, lineNumber) => {
      try {
        return pin(parseLine(line, lineNumber, reader, onNullHeader));
      } catch (err) {
        if (err instanceof LineError) throw new InputError(err.message);
        throw err;
      }
    };
  }
  return (line, lineNumber) => {
    try {
      const r = parseJsonRecord(line);
      return pin({
        key: r.key,
        value: r.value,
        ...(r.headers.length > 0 ? { headers: headersToKafkajs(r.headers, onNullHeader) } : {}),
        ...(r.partition !== undefined ? { partition: r.partition } : {}),
        ...(r.timestamp !== undefined ? { timestamp: r.timestamp } : {}),
      });
    } catch (err) {
      if (err instanceof JsonRecordError) throw new InputError(`invalid JSON record on line number ${lineNumber}: ${err.message}`);
      throw err;
    }
  };
}

/** Approximate record size for batching: payload lengths plus Kafka's per-record overhead. */
export function messageBytes(m: Message): number {
  let bytes = 16 + length(m.key) + length(m.value);
  if (m.headers !== undefined) {
    for (const [key, value] of Object.entries(m.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) bytes += key.length + length(v) + 4;
    }
  }
  return bytes;
}

function length(v: Buffer | string | null | undefined): number {
  return v === null || v === undefined ? 0 : v.length;
}
