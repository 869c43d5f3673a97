import { readFileSync } from 'node:fs';
import { ABORTED_TXN_SIZE, ABORTED_TXN_VERSION, decodeAbortedTxn } from '../../protocol/records/aborted-txn.js';
import { decrementSequence } from '../../protocol/records/batch-header.js';
import { CorruptSnapshotError, decodeProducerSnapshot, type ProducerSnapshotEntry } from '../../protocol/records/producer-snapshot.js';

/**
 * DumpLogSegments.dumpTxnIndex: one line per aborted transaction of a `.txnindex` (whole 34-byte
 * entries; Kafka prints the version's first byte, which is the version while it is below 256).
 */
export function dumpTxnIndex(path: string, print: (line: string) => void): void {
  const bytes = readFileSync(path);
  for (let at = 0; at + ABORTED_TXN_SIZE <= bytes.length; at += ABORTED_TXN_SIZE) {
    const txn = decodeAbortedTxn(bytes, at);
    if (txn.version > ABORTED_TXN_VERSION)
      throw new Error(`Unexpected aborted transaction version ${txn.version} in transaction index ${path}, current version is 0`);
    print(
      `version: ${txn.version} producerId: ${txn.producerId} firstOffset: ${txn.firstOffset} ` +
        `lastOffset: ${txn.lastOffset} lastStableOffset: ${txn.lastStableOffset}`,
    );
  }
}

/**
 * DumpLogSegments.dumpProducerIdSnapshot: one line per producer of a `<offset>.snapshot`. A file
 * of the wrong version, a bad CRC or a short read prints Kafka's CorruptSnapshotException message
 * on stderr instead.
 */
export function dumpProducerSnapshot(path: string, print: (line: string) => void, printError: (line: string) => void): void {
  let entries: ProducerSnapshotEntry[];
  try {
    entries = decodeProducerSnapshot(readFileSync(path));
  } catch (err) {
    if (!(err instanceof CorruptSnapshotError)) throw err;
    printError(err.message);
    return;
  }
  for (const e of entries) print(snapshotEntryLine(e));
}

function snapshotEntryLine(e: ProducerSnapshotEntry): string {
  const currentTxn = e.currentTxnFirstOffset >= 0n ? `OptionalLong[${e.currentTxnFirstOffset}]` : 'OptionalLong.empty';
  let line =
    `producerId: ${e.producerId} producerEpoch: ${e.epoch} coordinatorEpoch: ${e.coordinatorEpoch} ` +
    `currentTxnFirstOffset: ${currentTxn} lastTimestamp: ${e.timestamp} `;
  // An entry with a last offset holds the producer's last batch.
  if (e.lastOffset >= 0n) {
    line +=
      `firstSequence: ${decrementSequence(e.lastSequence, e.offsetDelta)} lastSequence: ${e.lastSequence} lastOffset: ${e.lastOffset} ` +
      `offsetDelta: ${e.offsetDelta} timestamp: ${e.timestamp}`;
  }
  return line;
}
