/**
 * Responses of one connection, kept in request order: Kafka clients pipeline requests and
 * match responses by order as well as by correlation id, so a fast response must wait for a
 * slower one that was asked for earlier.
 */
export class ResponseQueue {
  private readonly slots: { done: boolean; chunks: Buffer[] | null; bytes: number }[] = [];
  private waitingBytes = 0;

  constructor(private readonly write: (chunks: Buffer[]) => void) {}

  /** Requests whose slot is reserved and not yet handed on: unanswered, or answered behind an unanswered one. */
  get pending(): number {
    return this.slots.length;
  }

  /** Bytes of responses built but held back behind an earlier, unanswered request. */
  get queuedBytes(): number {
    return this.waitingBytes;
  }

  /** Reserves the next place in line; call the returned function once with the response (null = none). */
  reserve(): (chunks: Buffer[] | null) => void {
    const slot = { done: false, chunks: null as Buffer[] | null, bytes: 0 };
    this.slots.push(slot);
    return (chunks) => {
      if (slot.done) return;
      slot.done = true;
      slot.chunks = chunks;
      slot.bytes = chunks?.reduce((sum, c) => sum + c.length, 0) ?? 0;
      this.waitingBytes += slot.bytes;
      this.drain();
    };
  }

  private drain(): void {
    while (this.slots.length > 0 && this.slots[0]!.done) {
      const { chunks, bytes } = this.slots.shift()!;
      this.waitingBytes -= bytes;
      if (chunks) this.write(chunks);
    }
  }
}
