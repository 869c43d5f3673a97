import { Reader } from '../../protocol/primitives/reader.js';
import { ProtocolError } from '../../protocol/primitives/protocol-error.js';

/**
 * Jute decoding on top of the bounds-checked Kafka Reader: the primitives are the same big-endian
 * ints; jute strings and buffers carry an int32 length (-1 = null) and vectors an int32 count.
 */
export class JuteReader extends Reader {
  /** A `ustring`; a null string reads as ''. ZooKeeper treats both alike for every field we decode. */
  ustring(): string {
    const bytes = this.nullableBytes();
    return bytes === null ? '' : bytes.toString('utf8');
  }

  /** A `buffer`, copied so it can outlive the frame it came from (data trees keep it). */
  buffer(): Buffer {
    const bytes = this.nullableBytes();
    return bytes === null ? Buffer.alloc(0) : Buffer.from(bytes);
  }

  vector<T>(read: (r: JuteReader) => T): T[] {
    const count = this.int32();
    if (count === -1) return [];
    if (count < 0 || count > this.remaining) {
      throw new ProtocolError('INVALID_LENGTH', `vector of ${count} elements with ${this.remaining} bytes left`);
    }
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read(this));
    return out;
  }

  /** An int64 that ZooKeeper uses as a counter or a timestamp: exact below 2^53. */
  long(): number {
    return Number(this.int64());
  }
}
