import { KtsError } from '../../util/errors.js';

export interface RecordsToDelete {
  topic: string;
  partition: number;
  /** Delete everything before this offset; -1: up to the high watermark. */
  offset: bigint;
}

/**
 * kafka-delete-records' `--offset-json-file`: `{"partitions":[{"topic":"foo","partition":1,"offset":1}],"version":1}`,
 * refused in Kafka's words (`The input string is not a valid JSON`, `Missing partitions field`,
 * `Not supported version field value 2`, `Offset json file contains duplicate topic partitions: foo-1`).
 */
export function parseOffsetJson(text: string): RecordsToDelete[] {
  let json: unknown;
  try {
    // Offsets are int64: keep their digits exact.
    json = JSON.parse(text.replace(/("offset"\s*:\s*)(-?\d+)/g, '$1"$2"'));
  } catch {
    throw new KtsError('The input string is not a valid JSON');
  }
  if (!isObject(json)) throw new KtsError('The input string is not a valid JSON');
  const version = json.version ?? 1;
  if (version !== 1) throw new KtsError(`Not supported version field value ${JSON.stringify(version)}`);
  if (!('partitions' in json)) throw new KtsError('Missing partitions field');
  if (!Array.isArray(json.partitions)) throw new KtsError('The partitions field must be an array');
  const entries = json.partitions.map(parseEntry);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const e of entries) {
    const key = `${e.topic}-${e.partition}`;
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  if (duplicates.size > 0) throw new KtsError(`Offset json file contains duplicate topic partitions: ${[...duplicates].join(',')}`);
  return entries;
}

function parseEntry(entry: unknown): RecordsToDelete {
  const bad = () =>
    new KtsError(`Invalid partitions entry ${JSON.stringify(entry)}: expected {"topic": string, "partition": int, "offset": long}`);
  if (!isObject(entry)) throw bad();
  const { topic, partition, offset } = entry;
  if (typeof topic !== 'string' || !Number.isInteger(partition) || typeof offset !== 'string') throw bad();
  const value = BigInt(offset);
  if (value < -(2n ** 63n) || value >= 2n ** 63n) throw bad();
  return { topic, partition: partition as number, offset: value };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
