/**
 * Ceiling on a batch's decompressed size when the broker has to look inside one it holds
 * (ListOffsets by timestamp, down-converting for old fetchers, compaction, its own appends): a
 * guard against decompression bombs, far above any batch max.message.bytes lets in. What clients
 * produce is bounded by socket.request.max.bytes per request instead (produce/produce-pipeline.ts).
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 256 * 1024 * 1024;
