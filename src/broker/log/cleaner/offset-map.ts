/**
 * Kafka's SkimpyOffsetMap charges this much of log.cleaner.dedupe.buffer.size per key (a 16-byte
 * MD5 hash and an 8-byte offset); kts keys the map by the exact key bytes instead of a hash, but
 * sizes it the same way so the setting keeps its meaning.
 */
const BYTES_PER_ENTRY = 24;
/** Kafka's log.cleaner.io.buffer.load.factor default: how full the map may get. */
const LOAD_FACTOR = 0.9;

/** key → offset of its latest record in the section being mapped, with a bounded number of keys. */
export class OffsetMap {
  readonly #capacity: number;
  readonly #offsets = new Map<string, bigint>();

  constructor(dedupeBufferBytes: number) {
    this.#capacity = Math.max(1, Math.floor((dedupeBufferBytes * LOAD_FACTOR) / BYTES_PER_ENTRY));
  }

  /** Whether `keys` more distinct keys would surely fit. */
  hasRoomFor(keys: number): boolean {
    return this.#offsets.size + keys <= this.#capacity;
  }

  put(key: Buffer, offset: bigint): void {
    this.#offsets.set(key.toString('latin1'), offset);
  }

  get(key: Buffer): bigint | undefined {
    return this.#offsets.get(key.toString('latin1'));
  }
}
