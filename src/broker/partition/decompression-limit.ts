/**
 * Ceiling on a batch's decompressed size when the broker has to look inside one (up-converting
 * old produce requests, ListOffsets by timestamp, down-converting for old fetchers): a guard
 * against decompression bombs, far above any batch max.message.bytes lets in.
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 256 * 1024 * 1024;
