/**
 * Control records: the single record of a control batch. Its key is `int16 version, int16 type`;
 * transaction markers (ABORT/COMMIT) carry `int16 version, int32 coordinatorEpoch` as value.
 */
import { Reader } from '../primitives/reader.js';
import { BATCH } from './batch-header.js';
import { readRecord } from './record.js';
import type { BatchInput } from './record-batch.js';

export const CONTROL_TYPE = {
  ABORT: 0,
  COMMIT: 1,
  LEADER_CHANGE: 2,
  SNAPSHOT_HEADER: 3,
  SNAPSHOT_FOOTER: 4,
  KRAFT_VERSION: 5,
  KRAFT_VOTERS: 6,
} as const;

export interface ControlKey {
  version: number;
  /** One of CONTROL_TYPE; readers ignore types they do not know. */
  type: number;
}

export interface EndTxnMarker {
  version: number;
  coordinatorEpoch: number;
}

/** Accepts keys longer than 4 bytes, as Kafka does, so later versions can add fields. */
export function decodeControlKey(key: Buffer | null): ControlKey {
  const r = new Reader(key ?? Buffer.alloc(0));
  return { version: r.int16(), type: r.int16() };
}

export function encodeControlKey(type: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt16BE(0, 0);
  b.writeInt16BE(type, 2);
  return b;
}

export function decodeEndTxnMarker(value: Buffer | null): EndTxnMarker {
  const r = new Reader(value ?? Buffer.alloc(0));
  return { version: r.int16(), coordinatorEpoch: r.int32() };
}

export function encodeEndTxnMarker(coordinatorEpoch: number): Buffer {
  const b = Buffer.allocUnsafe(6);
  b.writeInt16BE(0, 0);
  b.writeInt32BE(coordinatorEpoch, 2);
  return b;
}

export interface EndTxnMarkerOptions {
  commit: boolean;
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
  timestamp: bigint;
}

/** The batch a partition leader appends for WriteTxnMarkers: control + transactional. */
export function endTxnMarkerBatch(o: EndTxnMarkerOptions): BatchInput {
  return {
    control: true,
    transactional: true,
    producerId: o.producerId,
    producerEpoch: o.producerEpoch,
    records: [
      {
        key: encodeControlKey(o.commit ? CONTROL_TYPE.COMMIT : CONTROL_TYPE.ABORT),
        value: encodeEndTxnMarker(o.coordinatorEpoch),
        timestamp: o.timestamp,
      },
    ],
  };
}

/**
 * The COMMIT or ABORT marker of a stored control batch (uncompressed, as the broker writes them),
 * read from its first record; undefined for other control types and for a batch the log cleaner
 * emptied. Throws on a malformed record.
 */
export function readTxnMarker(batch: Buffer, at: number, size: number): { isAbort: boolean; coordinatorEpoch: number } | undefined {
  if (batch.readInt32BE(at + BATCH.RECORDS_COUNT) === 0) return undefined;
  const cursor = { buf: batch, pos: at + BATCH.HEADER_SIZE, end: at + size };
  const record = readRecord(cursor, 0n, 0n, null);
  const { type } = decodeControlKey(record.key);
  if (type !== CONTROL_TYPE.ABORT && type !== CONTROL_TYPE.COMMIT) return undefined;
  return { isAbort: type === CONTROL_TYPE.ABORT, coordinatorEpoch: decodeEndTxnMarker(record.value).coordinatorEpoch };
}
