import { isUtf8 } from 'node:buffer';
import { JsonRecordError, parseJsonRecord } from '../common/record-json.js';
import { LineError, parseLine } from './line-parser.js';
import type { ProducerRecord } from '../../client/producer/producer-record.js';
import type { ParsedRecord } from './parsed-record.js';
import type { ReaderConfig } from './reader-properties.js';

export const INPUT_FORMATS = ['line', 'json'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** A line that cannot become a record; the message says which line and why. */
export class InputError extends Error {}

/** `utf8`: the line is known to be valid UTF-8 (else it is checked when that matters). */
export type RecordParser = (line: Buffer, lineNumber: number, utf8: boolean) => ProducerRecord;

/** Lines whose bytes are their records' values as they are: only the null marker stands for something else. */
export interface ValueLines {
  /** Whether `line[start, end)` is the null marker, a record with a null value. */
  isNull(line: Buffer, start: number, end: number): boolean;
}

/** ValueLines for the line format without key or headers; undefined for any other input. */
export function valueLines(format: InputFormat, reader: ReaderConfig): ValueLines | undefined {
  if (format !== 'line' || reader.parseKey || reader.parseHeaders) return undefined;
  const marker = reader.nullMarker === undefined ? null : Buffer.from(reader.nullMarker);
  if (marker === null) return { isNull: () => false };
  return { isNull: (line, start, end) => end - start === marker.length && line.compare(marker, 0, marker.length, start, end) === 0 };
}

/**
 * Turns input lines into records for `topic`: Kafka's LineMessageReader grammar, or the JSON lines
 * `console-consumer --output json` writes. `--partition` pins every record; otherwise a JSON
 * record's own partition is kept. Lines are bytes; when the whole line is the value, its bytes
 * are the value as they are (Kafka decodes and re-encodes UTF-8, which changes only invalid
 * input: that is decoded with replacement characters here too), in a record made whole at once
 * (one small object per line: adding a property later would allocate a second).
 */
export function recordParser(format: InputFormat, reader: ReaderConfig, partition: number | undefined, topic: string): RecordParser {
  const pin = (m: ParsedRecord): ProducerRecord => (partition !== undefined ? { ...m, topic, partition } : { ...m, topic });
  const values = valueLines(format, reader);
  if (values !== undefined) {
    return (line, _, utf8) => {
      const value = values.isNull(line, 0, line.length) ? null : utf8 || isUtf8(line) ? line : Buffer.from(line.toString());
      return partition === undefined ? { topic, value } : { topic, partition, value };
    };
  }
  if (format === 'line') {
    return (line, lineNumber) => {
      try {
        return pin(parseLine(line.toString(), lineNumber, reader));
      } catch (err) {
        if (err instanceof LineError) throw new InputError(err.message);
        throw err;
      }
    };
  }
  return (line, lineNumber) => {
    try {
      const r = parseJsonRecord(line.toString());
      return pin({
        key: r.key,
        value: r.value,
        ...(r.headers.length > 0 ? { headers: r.headers } : {}),
        ...(r.partition !== undefined ? { partition: r.partition } : {}),
        ...(r.timestamp !== undefined ? { timestamp: Number(r.timestamp) } : {}),
      });
    } catch (err) {
      if (err instanceof JsonRecordError) throw new InputError(`invalid JSON record on line number ${lineNumber}: ${err.message}`);
      throw err;
    }
  };
}
