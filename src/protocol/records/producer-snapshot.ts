/**
 * Kafka's producer state snapshot (`<offset>.snapshot`, ProducerStateManager's
 * PID_SNAPSHOT_MAP_SCHEMA), big-endian: int16 version (1), uint32 CRC-32C of everything after the
 * first 6 bytes, int32 count, then one 46-byte entry per producer. The broker writes and loads
 * these files; dump-log prints them.
 */
import { crc32c } from './crc.js';

export const PRODUCER_SNAPSHOT_VERSION = 1;
const CRC_AT = 2;
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
const ENTRY_SIZE = ENTRY_FIELDS.reduce((sum, [, size]) => sum + size, 0);

/** One producer's state in a snapshot: its last batch only (lastOffset -1 when it has none). */
export interface ProducerSnapshotEntry {
  producerId: bigint;
  epoch: number;
  lastSequence: number;
  lastOffset: bigint;
  offsetDelta: number;
  timestamp: bigint;
  coordinatorEpoch: number;
  /** -1 when the producer has no open transaction. */
  currentTxnFirstOffset: bigint;
}

/** A snapshot that cannot be used, with Kafka's CorruptSnapshotException message. */
export class CorruptSnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptSnapshotError';
  }
}

export function encodeProducerSnapshot(entries: readonly ProducerSnapshotEntry[]): Buffer {
  const buf = Buffer.alloc(ENTRIES_AT + 4 + entries.length * ENTRY_SIZE);
  buf.writeInt16BE(PRODUCER_SNAPSHOT_VERSION, 0);
  buf.writeInt32BE(entries.length, ENTRIES_AT);
  let at = ENTRIES_AT + 4;
  for (const e of entries) {
    buf.writeBigInt64BE(e.producerId, at);
    buf.writeInt16BE(e.epoch, at + 8);
    buf.writeInt32BE(e.lastSequence, at + 10);
    buf.writeBigInt64BE(e.lastOffset, at + 14);
    buf.writeInt32BE(e.offsetDelta, at + 22);
    buf.writeBigInt64BE(e.timestamp, at + 26);
    buf.writeInt32BE(e.coordinatorEpoch, at + 34);
    buf.writeBigInt64BE(e.currentTxnFirstOffset, at + 38);
    at += ENTRY_SIZE;
  }
  buf.writeUInt32BE(crc32c(buf.subarray(ENTRIES_AT)), CRC_AT);
  return buf;
}

/**
 * ProducerStateManager.readSnapshot: the schema is read first (a short field fails with its name,
 * as Kafka's Schema.read words it), then the version and the CRC are checked. Throws
 * CorruptSnapshotError.
 */
export function decodeProducerSnapshot(bytes: Buffer): ProducerSnapshotEntry[] {
  const r = new SchemaReader(bytes);
  const version = r.field('version', 2);
  const crc = r.field('crc', 4);
  const count = r.field('producer_entries', 4);
  if (count < 0n) throw schemaError('producer_entries', `Array size ${count} cannot be negative`);
  if (count > BigInt(r.remaining))
    throw schemaError('producer_entries', `Error reading array of size ${count}, only ${r.remaining} bytes available`);
  const entries: ProducerSnapshotEntry[] = [];
  for (let i = 0n; i < count; i++) {
    const f: Record<string, bigint> = {};
    for (const [name, size] of ENTRY_FIELDS) {
      try {
        f[name] = r.field(name, size);
      } catch (err) {
        throw schemaError('producer_entries', (err as Error).message.replace(/^Snapshot failed schema validation: /, ''));
      }
    }
    entries.push({
      producerId: f.producer_id!,
      epoch: Number(f.epoch),
      lastSequence: Number(f.last_sequence),
      lastOffset: f.last_offset!,
      offsetDelta: Number(f.offset_delta),
      timestamp: f.timestamp!,
      coordinatorEpoch: Number(f.coordinator_epoch),
      currentTxnFirstOffset: f.current_txn_first_offset!,
    });
  }
  if (version !== BigInt(PRODUCER_SNAPSHOT_VERSION))
    throw new CorruptSnapshotError(`Snapshot contained an unknown file version ${version}`);
  const computed = crc32c(bytes.subarray(ENTRIES_AT));
  if (BigInt(computed) !== crc) {
    throw new CorruptSnapshotError(`Snapshot is corrupt (CRC is no longer valid). Stored crc: ${crc}. Computed crc: ${computed}`);
  }
  return entries;
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

function schemaError(field: string, why: string): CorruptSnapshotError {
  return new CorruptSnapshotError(`Snapshot failed schema validation: Error reading field '${field}': ${why}`);
}
