import { ProtocolError } from './primitives/protocol-error.js';

/**
 * Cuts a byte stream into int32 size-prefixed frames. Sizes above `maxFrameBytes` (e.g.
 * socket.request.max.bytes) or below zero are rejected before any buffering for them happens.
 * A frame lying inside one received chunk is returned as a view of it, without copying.
 */
export class FrameSplitter {
  private readonly chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** Size of the frame being assembled, or -1 while its prefix is incomplete. */
  private frameSize = -1;

  /** May be raised between frames (a SASL connection once authenticated). */
  constructor(public maxFrameBytes: number) {}

  /** Bytes received but not yet returned as part of a frame. */
  get buffered(): number {
    return this.bufferedBytes + (this.frameSize < 0 ? 0 : 4);
  }

  /** Feeds received bytes; returns the frames (size prefix removed) they complete, in order. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.frameSize < 0) {
        if (this.bufferedBytes < 4) break;
        const size = this.take(4).readInt32BE(0);
        if (size < 0) throw new ProtocolError('INVALID_FRAME_SIZE', `invalid frame size ${size}`);
        if (size > this.maxFrameBytes) {
          throw new ProtocolError('FRAME_TOO_LARGE', `frame of ${size} bytes exceeds the limit of ${this.maxFrameBytes}`);
        }
        this.frameSize = size;
      }
      if (this.bufferedBytes < this.frameSize) break;
      frames.push(this.take(this.frameSize));
      this.frameSize = -1;
    }
    return frames;
  }

  private take(n: number): Buffer {
    this.bufferedBytes -= n;
    const first = this.chunks[0];
    if (first !== undefined && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
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
