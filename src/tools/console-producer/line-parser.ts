import type { ProducerHeader } from '../../client/producer/producer-record.js';
import { javaSplit } from '../common/java-split.js';
import type { ReaderConfig } from './reader-properties.js';
import type { ParsedRecord } from './parsed-record.js';

/** A line the reader rejects; the message is Kafka's. */
export class LineError extends Error {}

/**
 * LineMessageReader's grammar: `[headers<headers.delimiter>][key<key.separator>]value`, each part
 * only when enabled; `null.marker` turns a key, value, header value or the whole header field
 * into null. `lineNumber` is 1-based, as in Kafka's messages.
 */
export function parseLine(line: string, lineNumber: number, config: ReaderConfig): ParsedRecord {
  const headers = part(config.parseHeaders, line, 0, config.headersDelimiter, 'headers delimiter', lineNumber, config);
  const headerOffset = headers === null ? 0 : headers.length + config.headersDelimiter.length;
  const key = part(config.parseKey, line, headerOffset, config.keySeparator, 'key separator', lineNumber, config);
  const keyOffset = key === null ? 0 : key.length + config.keySeparator.length;
  const value = line.slice(headerOffset + keyOffset);
  const record: ParsedRecord = {
    key: key === null || key === config.nullMarker ? null : key,
    value: value === config.nullMarker ? null : value,
  };
  if (headers !== null && headers !== config.nullMarker) record.headers = splitHeaders(headers, lineNumber, config);
  return record;
}

function part(
  enabled: boolean,
  line: string,
  start: number,
  separator: string,
  name: string,
  lineNumber: number,
  config: ReaderConfig,
): string | null {
  if (!enabled) return null;
  const index = line.indexOf(separator, start);
  if (index >= 0) return line.slice(start, index);
  if (config.ignoreError) return null;
  throw new LineError(`No ${name} found on line number ${lineNumber}: '${line}'`);
}

function splitHeaders(text: string, lineNumber: number, config: ReaderConfig): ProducerHeader[] {
  return javaSplit(config.headersSeparator, text).map((pair) => {
    const i = pair.indexOf(config.headersKeySeparator);
    if (i < 0) {
      if (config.ignoreError) return { key: pair, value: null };
      throw new LineError(`No header key separator found in pair '${pair}' on line number ${lineNumber}`);
    }
    const key = pair.slice(0, i);
    if (key === config.nullMarker) {
      throw new LineError(`Header keys should not be equal to the null marker '${config.nullMarker}' as they can't be null`);
    }
    const value = pair.slice(i + config.headersKeySeparator.length);
    return { key, value: value === config.nullMarker ? null : value };
  });
}
