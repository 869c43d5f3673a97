import { ProtocolError } from './primitives/protocol-error.js';

/**
 * A frame bigger than this is copied into a buffer of its own as its bytes arrive rather than in
 * one go once complete (a 12 MB Produce request would otherwise hold the event loop for the whole
 * copy); the buffer is only allocated once this much of the frame has arrived, so a size prefix
 * alone never makes the receiver reserve a large buffer.
 */
const INCREMENTAL_FRAME_BYTES = 1 << 20;

/**
 * The buffer a frame spanning received chunks is copied into: `size` bytes, chosen knowing the
 * frame's first received bytes (`head`, a view of at least one byte). A receiver can hand out
 * buffers it takes back once the frame has been dealt with.
 */
export type FrameBufferSource = (size: number, head: Buffer) => Buffer;

const allocate = (size: number): Buffer => Buffer.allocUnsafe(size);

/**
 * Cuts a byte stream into int32 size-prefixed frames. Sizes above `maxFrameBytes` (e.g.
 * socket.request.max.bytes) or below zero are rejected before any buffering for them happens.
 * A frame lying inside one received chunk is returned as a view of it, without copying; one
 * spanning chunks is copied into a buffer from `bufferFor`.
 */
export class FrameSplitter {
  private readonly chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** Size of the frame being assembled, or -1 while its prefix is incomplete. */
  private frameSize = -1;
  /** A large frame's own buffer, filled as its bytes arrive (see INCREMENTAL_FRAME_BYTES). */
  private frame: Buffer | undefined;
  private frameFilled = 0;

  /** `maxFrameBytes` may be raised between frames (a SASL connection once authenticated). */
  constructor(
    public maxFrameBytes: number,
    private readonly bufferFor: FrameBufferSource = allocate,
  ) {}

  /** Bytes received but not yet returned as part of a frame. */
  get buffered(): number {
    return this.bufferedBytes + this.frameFilled + (this.frameSize < 0 ? 0 : 4);
  }

  /** Feeds received bytes; returns the frames (size prefix removed) they complete, in order. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let rest = chunk;
    if (this.frame) {
      const used = Math.min(rest.length, this.frame.length - this.frameFilled);
      rest.copy(this.frame, this.frameFilled, 0, used);
      this.frameFilled += used;
      rest = rest.subarray(used);
      if (this.frameFilled < this.frame.length) return frames;
      frames.push(this.frame);
      this.frame = undefined;
      this.frameFilled = 0;
      this.frameSize = -1;
    }
    if (rest.length > 0) {
      this.chunks.push(rest);
      this.bufferedBytes += rest.length;
    }
    for (;;) {
      if (this.frameSize < 0) {
        if (this.bufferedBytes < 4) break;
        const size = this.take(4, allocate).readInt32BE(0);
        if (size < 0) throw new ProtocolError('INVALID_FRAME_SIZE', `invalid frame size ${size}`);
        if (size > this.maxFrameBytes) {
          throw new ProtocolError('FRAME_TOO_LARGE', `frame of ${size} bytes exceeds the limit of ${this.maxFrameBytes}`);
        }
        this.frameSize = size;
      }
      if (this.bufferedBytes < this.frameSize) {
        if (this.frameSize > INCREMENTAL_FRAME_BYTES && this.bufferedBytes >= INCREMENTAL_FRAME_BYTES) {
          this.frameFilled = this.bufferedBytes;
          this.frame = this.take(this.bufferedBytes, this.bufferFor, this.frameSize);
        }
        break;
      }
      frames.push(this.take(this.frameSize, this.bufferFor));
      this.frameSize = -1;
    }
    return frames;
  }

  /** The next `n` buffered bytes: a view when one chunk holds them, else copied into `bufferFor(capacity)`. */
  private take(n: number, bufferFor: FrameBufferSource, capacity = n): Buffer {
    this.bufferedBytes -= n;
    const first = this.chunks[0];
    // Nothing buffered: an empty frame.
    if (first === undefined) return Buffer.alloc(0);
    if (capacity === n && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = bufferFor(capacity, first);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0]!;
      const used = Math.min(head.length, n - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      if (used === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(used);
    }
    return out;
  }
}
