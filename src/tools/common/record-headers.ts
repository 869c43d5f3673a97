import type { IHeaders } from 'kafkajs';
import type { RecordHeader } from './consumed-record.js';

/**
 * kafkajs folds headers into an object (a repeated key becomes an array), so the order of
 * different keys is first appearance and interleaved duplicates come out grouped by key.
 */
export function headersFromKafkajs(headers: IHeaders | undefined): RecordHeader[] {
  const out: RecordHeader[] = [];
  for (const [key, raw] of Object.entries(headers ?? {})) {
    for (const value of Array.isArray(raw) ? raw : [raw]) out.push({ key, value: toBuffer(value) });
  }
  return out;
}

/**
 * kafkajs 2.2 cannot send a null header value (it measures the value before checking for null),
 * so a null value goes out empty and `onNullValue` is told.
 */
export function headersToKafkajs(headers: readonly RecordHeader[], onNullValue: () => void): IHeaders {
  const out: Record<string, Buffer | Buffer[]> = {};
  for (const { key, value } of headers) {
    if (value === null) onNullValue();
    const v = value ?? EMPTY;
    const existing = out[key];
    if (existing === undefined) out[key] = v;
    else if (Array.isArray(existing)) existing.push(v);
    else out[key] = [existing, v];
  }
  return out;
}

const EMPTY = Buffer.alloc(0);

function toBuffer(value: Buffer | string | undefined | null): Buffer | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? Buffer.from(value) : value;
}
