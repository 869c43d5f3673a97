/** The broker's in-place edits of a validated v2 batch before it goes into the log. */
import { ATTR, BATCH, computeBatchCrc } from './batch-header.js';

export interface StampOptions {
  baseOffset: bigint;
  partitionLeaderEpoch: number;
  /** Set for topics with message.timestamp.type=LogAppendTime: the broker's append time. */
  logAppendTime?: bigint;
}

/**
 * Assigns the batch at `position` its offset and leader epoch; neither is covered by the CRC.
 * With LogAppendTime it also sets the timestamp-type bit and maxTimestamp, which are, so the
 * CRC is recomputed (records keep their own timestamps; readers substitute maxTimestamp).
 */
export function stampBatch(buf: Buffer, position: number, size: number, o: StampOptions): void {
  buf.writeBigInt64BE(o.baseOffset, position + BATCH.BASE_OFFSET);
  buf.writeInt32BE(o.partitionLeaderEpoch, position + BATCH.PARTITION_LEADER_EPOCH);
  if (o.logAppendTime === undefined) return;
  const attributes = buf.readUInt16BE(position + BATCH.ATTRIBUTES);
  buf.writeUInt16BE(attributes | ATTR.TIMESTAMP_LOG_APPEND, position + BATCH.ATTRIBUTES);
  buf.writeBigInt64BE(o.logAppendTime, position + BATCH.MAX_TIMESTAMP);
  buf.writeUInt32BE(computeBatchCrc(buf, position, size), position + BATCH.CRC);
}
