import { Writer } from '../../protocol/primitives/writer.js';

/** Jute encoding on top of the Kafka Writer (same primitives, int32-length strings and vectors). */
export class JuteWriter extends Writer {
  ustring(value: string): void {
    this.nullableBytes(Buffer.from(value, 'utf8'));
  }

  buffer(value: Buffer | null): void {
    this.nullableBytes(value);
  }

  vector<T>(items: readonly T[], write: (w: JuteWriter, item: T) => void): void {
    this.int32(items.length);
    for (const item of items) write(this, item);
  }

  /** Zxids and times are numbers (exact below 2^53); session ids stay bigint. */
  long(value: number | bigint): void {
    this.int64(typeof value === 'bigint' ? value : BigInt(value));
  }

  /** The bytes with the int32 length prefix ZooKeeper frames every packet with. */
  frame(): Buffer[] {
    const length = this.length;
    const prefix = Buffer.allocUnsafe(4);
    prefix.writeInt32BE(length);
    return [prefix, ...this.finish()];
  }
}
