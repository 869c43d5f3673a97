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

function toBuffer(value: Buffer | string | undefined | null): Buffer | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? Buffer.from(value) : value;
}
