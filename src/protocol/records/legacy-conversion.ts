/**
 * Conversion between legacy message sets and v2 batches: the broker stores v2 only, so it
 * up-converts Produce v0-2 and down-converts for Fetch v0-3.
 */
import { BATCH } from './batch-header.js';
import { iterateBatches } from './batch-iterator.js';
import { type LegacyMagic, type LegacyMessage, decodeMessageSet, encodeMessageSet } from './legacy-message-set.js';
import { type DecodeOptions, decodeBatch, encodeBatch } from './record-batch.js';

/**
 * One v2 batch holding every message of a Produce v0-2 message set, as Kafka's LogValidator
 * builds it: offsets renumbered from 0 (the broker assigns real ones), the first wrapper's codec
 * kept, no producer id. Magic 0 messages have no timestamp (-1).
 */
export function upConvert(messageSet: Buffer, options: DecodeOptions): Buffer {
  const messages = decodeMessageSet(messageSet, { ...options, partialTail: 'reject' });
  const first = messages[0];
  return encodeBatch({
    compression: first?.compression ?? 'none',
    timestampType: first?.timestampType ?? 'CreateTime',
    records: messages.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp })),
  });
}

/**
 * A message set of the given magic holding the data records of `records` (v2 batches, partial
 * tail ignored). Control batches are dropped, as are record headers, which legacy messages cannot
 * carry. Each compressed batch becomes one wrapper with the same codec; zstd cannot be
 * down-converted (UNSUPPORTED_COMPRESSION_TYPE, which Kafka answers old fetchers with too).
 */
export function downConvert(records: Buffer, magic: LegacyMagic, options: DecodeOptions): Buffer {
  const parts: Buffer[] = [];
  for (const entry of iterateBatches(records)) {
    const entryMagic = entry[BATCH.MAGIC]!;
    if (entryMagic <= magic) {
      parts.push(entry);
    } else if (entryMagic < 2) {
      parts.push(reencode(decodeMessageSet(entry, { ...options, partialTail: 'reject' }), magic));
    } else {
      const batch = decodeBatch(entry, options);
      if (batch.isControl || batch.records.length === 0) continue;
      parts.push(
        encodeMessageSet({
          magic,
          compression: batch.compression,
          timestampType: batch.timestampType,
          messages: batch.records,
        }),
      );
    }
  }
  return Buffer.concat(parts);
}

function reencode(messages: LegacyMessage[], magic: LegacyMagic): Buffer {
  const first = messages[0];
  return encodeMessageSet({ magic, compression: first?.compression ?? 'none', messages });
}
