import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { KtsError } from '../../util/errors.js';
import { javaSplit } from '../common/java-split.js';

/** What each record carries: fixed-size random letters, payloads from a file, or the record's number. */
export type PayloadSource = { kind: 'random'; size: number } | { kind: 'file'; payloads: Buffer[] } | { kind: 'monotonic' };

/** Distinct random payloads to pick from, made once: no allocation per record. */
const POOL_PAYLOADS = 4096;

/**
 * The payload of record `i`. Like Kafka, fixed-size payloads are uppercase letters A-Z chosen at
 * random and file payloads are picked at random; Kafka fills a fresh array for every record, kts
 * picks one of 4096 random payloads made at the start (the producer copies the bytes into the batch).
 */
export function payloadGenerator(source: PayloadSource): (i: number) => Buffer {
  const random = xorshift(0x9e3779b9);
  switch (source.kind) {
    case 'monotonic':
      return (i) => Buffer.from(String(i));
    case 'file':
      return () => source.payloads[random() % source.payloads.length]!;
    case 'random': {
      const letters = Buffer.allocUnsafe(POOL_PAYLOADS * source.size);
      for (let j = 0; j < letters.length; j++) letters[j] = 65 + (random() % 26);
      const pool = Array.from({ length: POOL_PAYLOADS }, (_, j) => letters.subarray(j * source.size, (j + 1) * source.size));
      return () => pool[random() % POOL_PAYLOADS]!;
    }
  }
}

/**
 * ProducerPerformance.readPayloadFile: the file as UTF-8 split by the delimiter (a Java regex;
 * the default `\n`), each payload sent as its UTF-8 bytes. Prints Kafka's two lines about it.
 */
export function readPayloadFile(path: string, delimiter: string, print: (line: string) => void): Buffer[] {
  const absolute = resolve(path);
  print(`Reading payloads from: ${absolute}`);
  let size: number;
  try {
    size = statSync(absolute).size;
  } catch {
    size = 0;
  }
  if (size === 0) throw new KtsError('Error: File does not exist or empty file provided.');
  let pattern: RegExp;
  try {
    pattern = new RegExp(delimiter === '\\n' ? '\n' : delimiter, 'u');
  } catch (err) {
    throw new KtsError(`Error: invalid --payload-delimiter '${delimiter}': ${(err as Error).message}`);
  }
  const payloads = javaSplit(pattern, readFileSync(absolute, 'utf8'));
  print(`Number of messages read: ${payloads.length}`);
  if (payloads.length === 0) throw new KtsError(`Error: ${absolute} holds nothing but delimiters`);
  return payloads.map((p) => Buffer.from(p));
}

/** A small fast PRNG (xorshift32): payload choice needs no statistical quality. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}
