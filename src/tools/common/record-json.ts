import { isUtf8 } from 'node:buffer';
import type { ConsumedRecord, RecordHeader } from './consumed-record.js';

/**
 * The JSON-lines envelope kts writes (`console-consumer --output json`) and reads back
 * (`console-producer --input-format json`). Bytes are JSON strings when they are valid UTF-8,
 * otherwise base64 with a sibling `<field>Encoding: "base64"`, so `null`, `""` and binary
 * all survive the round trip.
 */
export interface JsonRecord {
  topic?: string;
  partition?: number;
  offset?: number;
  timestamp?: number;
  timestampType?: string;
  key: string | null;
  keyEncoding?: 'base64';
  value: string | null;
  valueEncoding?: 'base64';
  headers: JsonHeader[];
}

export interface JsonHeader {
  key: string;
  value: string | null;
  valueEncoding?: 'base64';
}

/** What a JSON line gives the producer. */
export interface ParsedJsonRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  partition?: number;
  timestamp?: string;
}

export function recordToJson(r: ConsumedRecord): string {
  const out: JsonRecord = {
    topic: r.topic,
    partition: r.partition,
    offset: Number(r.offset),
    timestamp: Number(r.timestamp),
    timestampType: r.timestampType,
    ...bytesField('key', r.key),
    ...bytesField('value', r.value),
    headers: r.headers.map((h) => ({ key: h.key, ...bytesField('value', h.value) })),
  } as JsonRecord;
  return JSON.stringify(out);
}

function bytesField<F extends string>(field: F, bytes: Buffer | null): Record<string, string | null> {
  if (bytes === null) return { [field]: null };
  if (isUtf8(bytes)) return { [field]: bytes.toString('utf8') };
  return { [field]: bytes.toString('base64'), [`${field}Encoding`]: 'base64' };
}

/** Thrown for a line that is not a usable record; the caller adds the line number. */
export class JsonRecordError extends Error {}

/** Parses one JSON line. Headers may also be an object map (`{"k": "v"}`) as other tools write them. */
export function parseJsonRecord(line: string): ParsedJsonRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (err) {
    throw new JsonRecordError(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(doc)) throw new JsonRecordError('expected a JSON object');
  const out: ParsedJsonRecord = {
    key: bytesFrom(doc, 'key'),
    value: bytesFrom(doc, 'value'),
    headers: headersFrom(doc.headers),
  };
  if (doc.partition !== undefined && doc.partition !== null) {
    if (!Number.isInteger(doc.partition) || (doc.partition as number) < 0) {
      throw new JsonRecordError('"partition" must be a non-negative integer');
    }
    out.partition = doc.partition as number;
  }
  if (doc.timestamp !== undefined && doc.timestamp !== null) {
    const ts = doc.timestamp;
    const valid = (typeof ts === 'number' && Number.isSafeInteger(ts)) || (typeof ts === 'string' && /^-?\d+$/.test(ts));
    if (!valid) throw new JsonRecordError('"timestamp" must be an integer (milliseconds)');
    // -1 is what a consumer prints for "no timestamp": let the producer stamp it.
    if (Number(ts) >= 0) out.timestamp = String(ts);
  }
  return out;
}

function headersFrom(raw: unknown): RecordHeader[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    return raw.map((h, i) => {
      if (!isObject(h) || typeof h.key !== 'string') throw new JsonRecordError(`headers[${i}] needs a string "key"`);
      return { key: h.key, value: bytesFrom(h, 'value', `headers[${i}].`) };
    });
  }
  if (isObject(raw)) {
    return Object.entries(raw).map(([key, value]) => {
      if (value !== null && typeof value !== 'string') throw new JsonRecordError(`header "${key}" must be a string or null`);
      return { key, value: value === null ? null : Buffer.from(value) };
    });
  }
  throw new JsonRecordError('"headers" must be an array or an object');
}

function bytesFrom(doc: Record<string, unknown>, field: string, where = ''): Buffer | null {
  const value = doc[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new JsonRecordError(`"${where}${field}" must be a string or null`);
  const encoding = doc[`${field}Encoding`];
  if (encoding === undefined || encoding === null || encoding === 'utf8') return Buffer.from(value, 'utf8');
  if (encoding !== 'base64') throw new JsonRecordError(`"${where}${field}Encoding" must be "base64" or "utf8"`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new JsonRecordError(`"${where}${field}" is not valid base64`);
  }
  return Buffer.from(value, 'base64');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
