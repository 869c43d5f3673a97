/** The smallest buffer the pool keeps; frames above MAX_POOLED_BYTES are allocated each time. */
const MIN_POOLED_BYTES = 64 * 1024;
/** A producer's max.request.size is 1 MB by default. */
const MAX_POOLED_BYTES = 2 * 1024 * 1024;
/** Sizes kept go up in steps of 2^(1/4) (in whole pages), so a frame leaves at most a fifth of its buffer unused. */
const STEPS_PER_DOUBLING = 4;
/** Free buffers kept for the next frames; beyond this, returned buffers are left to the GC. */
const MAX_FREE_BYTES = 16 * 1024 * 1024;

/**
 * Buffers for request frames that arrive in several socket chunks (most Produce requests: Node
 * reads 64 KiB at a time), lent while the request is handled and taken back once it is answered.
 *
 * Why: allocated anew for each frame, these buffers are the whole produce traffic again in
 * ArrayBuffers (~110 MB per million 100-byte records), which V8 counts as external memory. The
 * broker's own allocations are small, so young-generation collections, which would free them, are
 * rare, and V8 ran full mark-compacts instead: ~10 per million records with Kafka's 16 KiB batches,
 * in about half the runs (bench/README.md, "Produce frames").
 *
 * Only a frame whose request keeps no view of it once answered may be given back: the broker gives
 * back Produce frames, whose records are in the log by then (appends are synchronous writes).
 */
export class FramePool {
  readonly #free = new Map<number, Buffer[]>();
  /** The ArrayBuffers lent and not yet given back: only those are taken back, once. */
  readonly #lent = new WeakSet<ArrayBufferLike>();
  #freeBytes = 0;

  /** A buffer of `size` bytes, pooled when the size is one the pool keeps. */
  take(size: number): Buffer {
    if (size > MAX_POOLED_BYTES) return Buffer.allocUnsafe(size);
    const capacity = capacityFor(size);
    let whole = this.#free.get(capacity)?.pop();
    if (whole === undefined) whole = Buffer.allocUnsafe(capacity);
    else this.#freeBytes -= capacity;
    this.#lent.add(whole.buffer);
    return whole.subarray(0, size);
  }

  /** Takes back a buffer from take() whose frame is done with; any other buffer is ignored. */
  give(frame: Buffer): void {
    const memory = frame.buffer;
    if (frame.byteOffset !== 0 || !this.#lent.delete(memory)) return;
    if (this.#freeBytes + memory.byteLength > MAX_FREE_BYTES) return;
    const free = this.#free.get(memory.byteLength) ?? [];
    free.push(Buffer.from(memory));
    this.#free.set(memory.byteLength, free);
    this.#freeBytes += memory.byteLength;
  }
}

/** The buffer size for a frame of `size` bytes: the next step up, in whole pages. */
function capacityFor(size: number): number {
  if (size <= MIN_POOLED_BYTES) return MIN_POOLED_BYTES;
  const step = 2 ** (Math.ceil(Math.log2(size) * STEPS_PER_DOUBLING) / STEPS_PER_DOUBLING);
  return Math.ceil(step / 4096) * 4096;
}
