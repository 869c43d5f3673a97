/**
 * Responses of one connection, kept in request order: Kafka clients pipeline requests and
 * match responses by order as well as by correlation id, so a fast response must wait for a
 * slower one that was asked for earlier.
 */
export class ResponseQueue {
  private readonly slots: { done: boolean; chunks: Buffer[] | null }[] = [];

  constructor(private readonly write: (chunks: Buffer[]) => void) {}

  get pending(): number {
    return this.slots.length;
  }

  /** Reserves the next place in line; call the returned function once with the response (null = none). */
  reserve(): (chunks: Buffer[] | null) => void {
    const slot = { done: false, chunks: null as Buffer[] | null };
    this.slots.push(slot);
    return (chunks) => {
      if (slot.done) return;
      slot.done = true;
      slot.chunks = chunks;
      this.drain();
    };
  }

  private drain(): void {
    while (this.slots.length > 0 && this.slots[0]!.done) {
      const { chunks } = this.slots.shift()!;
      if (chunks) this.write(chunks);
    }
  }
}
