import { ATTR, BATCH, lastSequence, readBatchHeader } from '../../../protocol/records/batch-header.js';
import { readTxnMarker } from '../../../protocol/records/control-record.js';
import { LogError } from '../log-error.js';
import type { AppendOrigin, CompletedTxn, ProducerAppendInfo } from './producer-append-info.js';
import { firstOffsetOf } from './producer-state-entry.js';
import type { ProducerStateManager } from './producer-state-manager.js';

/** What an append does to producer state, checked before anything is written (Kafka's analyzeAndValidateProducerState). */
export interface AnalyzedAppend {
  updates: ProducerAppendInfo[];
  /** Transactions the append's markers end, in offset order. */
  completed: CompletedTxn[];
  /** A client's retry of a batch already written: answered with where it went, not written again. */
  duplicate?: { firstOffset: bigint; lastOffset: bigint };
}

/**
 * Checks every producer batch of `records` (whole v2 batches with their offsets assigned) against
 * the partition's producer state: epochs, sequences, transactions opened and ended by markers.
 * Throws a LogError for a batch the origin may not write; changes nothing.
 */
export function analyzeAppend(
  state: ProducerStateManager,
  records: Buffer,
  origin: AppendOrigin,
  verificationGuard?: object,
): AnalyzedAppend {
  const infos = new Map<bigint, ProducerAppendInfo>();
  const completed: CompletedTxn[] = [];
  for (let at = 0; at < records.length; ) {
    const header = readBatchHeader(records, at);
    const size = header.batchLength + BATCH.LOG_OVERHEAD;
    const { producerId, producerEpoch } = header;
    const firstOffset = header.baseOffset;
    const lastOffset = firstOffset + BigInt(header.lastOffsetDelta);
    at += size;
    if (producerId < 0n) continue;
    const isControl = (header.attributes & ATTR.CONTROL) !== 0;
    if (origin === 'client' && !isControl) {
      const duplicate = state.entry(producerId)?.findDuplicateBatch(producerEpoch, header.baseSequence, lastSequence(header));
      if (duplicate)
        return { updates: [], completed: [], duplicate: { firstOffset: firstOffsetOf(duplicate), lastOffset: duplicate.lastOffset } };
    }
    let info = infos.get(producerId);
    if (!info) {
      info = state.prepareUpdate(producerId, origin);
      infos.set(producerId, info);
    }
    const isTransactional = (header.attributes & ATTR.TRANSACTIONAL) !== 0;
    if (
      verificationGuard !== undefined &&
      isTransactional &&
      !isControl &&
      info.entry.currentTxnFirstOffset === undefined &&
      !state.hasVerificationGuard(producerId, verificationGuard)
    ) {
      // KIP-890: a marker came between the coordinator's answer and this append.
      throw new LogError(
        'INVALID_TXN_STATE',
        `The transaction of producer ${producerId} was completed since the partition was verified: the batch at offset ${firstOffset} cannot start a transaction`,
      );
    }
    if (isControl) {
      let marker: ReturnType<typeof readTxnMarker>;
      try {
        marker = readTxnMarker(records, at - size, size);
      } catch (err) {
        throw new LogError('CORRUPT_MESSAGE', `Unreadable control record at offset ${firstOffset}: ${(err as Error).message}`);
      }
      if (!marker) continue;
      const done = info.appendEndTxnMarker(marker, producerEpoch, firstOffset, header.maxTimestamp);
      if (done) completed.push(done);
    } else {
      info.appendDataBatch({
        producerEpoch,
        firstSeq: header.baseSequence,
        lastSeq: lastSequence(header),
        firstOffset,
        lastOffset,
        maxTimestamp: header.maxTimestamp,
        isTransactional,
      });
    }
  }
  return { updates: [...infos.values()], completed };
}
