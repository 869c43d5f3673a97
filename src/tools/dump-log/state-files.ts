import { readFileSync } from 'node:fs';
import { decrementSequence } from '../../protocol/records/batch-header.js';
import { crc32c } from '../../protocol/records/crc.js';

/** AbortedTxn: int16 version, int64 producer id, first offset, last offset, last stable offset. */
const ABORTED_TXN_SIZE = 34;
/** ProducerStateManager's snapshot format. */
const SNAPSHOT_VERSION = 1;
const ENTRIES_AT = 6;
const ENTRY_FIELDS = [
  ['producer_id', 8],
  ['epoch', 2],
  ['last_sequence', 4],
  ['last_offset', 8],
  ['offset_delta', 4],
  ['timestamp', 8],
  ['coordinator_epoch', 4],
  ['current_txn_first_offset', 8],
] as const;

/**
 * DumpLogSegments.dumpTxnIndex: one line per aborted transaction of a `.txnindex` (whole 34-byte
 * entries; Kafka prints the version's first byte, which is the version while it is below 256).
 */
export function dumpTxnIndex(path: string, print: (line: string) => void): void {
  const bytes = readFileSync(path);
  for (let at = 0; at + ABORTED_TXN_SIZE <= bytes.length; at += ABORTED_TXN_SIZE) {
    const version = bytes.readInt8(at);
    if (version > 0)
      throw new Error(`Unexpected aborted transaction version ${version} in transaction index ${path}, current version is 0`);
    print(
      `version: ${version} producerId: ${bytes.readBigInt64BE(at + 2)} firstOffset: ${bytes.readBigInt64BE(at + 10)} ` +
        `lastOffset: ${bytes.readBigInt64BE(at + 18)} lastStableOffset: ${bytes.readBigInt64BE(at + 26)}`,
    );
  }
}

/**
 * DumpLogSegments.dumpProducerIdSnapshot: one line per producer of a `<offset>.snapshot`. A file
 * of the wrong version, a bad CRC or a short read prints Kafka's CorruptSnapshotException message
 * on stderr instead.
 */
export function dumpProducerSnapshot(path: string, print: (line: string) => void, printError: (line: string) => void): void {
  const bytes = readFileSync(path);
  let lines: string[];
  try {
    lines = readProducerSnapshot(bytes);
  } catch (err) {
    printError((err as Error).message);
    return;
  }
  for (const line of lines) print(line);
}

function readProducerSnapshot(bytes: Buffer): string[] {
  const r = new SchemaReader(bytes);
  const version = r.field('version', 2);
  const crc = r.field('crc', 4);
  const count = r.field('producer_entries', 4);
  if (count < 0n) throw schemaError('producer_entries', `Array size ${count} cannot be negative`);
  if (count > BigInt(r.remaining))
    throw schemaError('producer_entries', `Error reading array of size ${count}, only ${r.remaining} bytes available`);
  const entries: Array<Record<string, bigint>> = [];
  for (let i = 0n; i < count; i++) {
    const entry: Record<string, bigint> = {};
    for (const [name, size] of ENTRY_FIELDS) {
      try {
        entry[name] = r.field(name, size);
      } catch (err) {
        throw schemaError('producer_entries', (err as Error).message.replace(/^Snapshot failed schema validation: /, ''));
      }
    }
    entries.push(entry);
  }
  if (version !== BigInt(SNAPSHOT_VERSION)) throw new Error(`Snapshot contained an unknown file version ${version}`);
  const computed = crc32c(bytes.subarray(ENTRIES_AT));
  if (BigInt(computed) !== crc)
    throw new Error(`Snapshot is corrupt (CRC is no longer valid). Stored crc: ${crc}. Computed crc: ${computed}`);
  return entries.map((e) => {
    const currentTxn = e.current_txn_first_offset! >= 0n ? `OptionalLong[${e.current_txn_first_offset}]` : 'OptionalLong.empty';
    let line =
      `producerId: ${e.producer_id} producerEpoch: ${e.epoch} coordinatorEpoch: ${e.coordinator_epoch} ` +
      `currentTxnFirstOffset: ${currentTxn} lastTimestamp: ${e.timestamp} `;
    // An entry with a last offset holds the producer's last batch.
    if (e.last_offset! >= 0n) {
      const lastSeq = Number(e.last_sequence);
      const delta = Number(e.offset_delta);
      line +=
        `firstSequence: ${decrementSequence(lastSeq, delta)} lastSequence: ${lastSeq} lastOffset: ${e.last_offset} ` +
        `offsetDelta: ${delta} timestamp: ${e.timestamp}`;
    }
    return line;
  });
}

/** Kafka's Schema.read: fields in order, a short one failing with the field's name. */
class SchemaReader {
  private at = 0;

  constructor(private readonly bytes: Buffer) {}

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  field(name: string, size: 2 | 4 | 8): bigint {
    if (this.remaining < size) throw schemaError(name, 'java.nio.BufferUnderflowException');
    const value =
      size === 2
        ? BigInt(this.bytes.readInt16BE(this.at))
        : size === 4
          ? name === 'crc'
            ? BigInt(this.bytes.readUInt32BE(this.at))
            : BigInt(this.bytes.readInt32BE(this.at))
          : this.bytes.readBigInt64BE(this.at);
    this.at += size;
    return value;
  }
}

function schemaError(field: string, why: string): Error {
  return new Error(`Snapshot failed schema validation: Error reading field '${field}': ${why}`);
}
