import type { Message } from 'kafkajs';

export interface PipelineOptions {
  /** Gathered bytes that trigger a send. */
  batchBytes: number;
  /** Gathered records that trigger a send. */
  batchRecords: number;
  /** How long a partly filled batch may wait for more records. */
  lingerMs: number;
  maxInFlight: number;
  /** Bytes gathered, queued or in flight before `needsRoom` asks the reader to wait. */
  bufferMemory: number;
  /** One record per send, each acknowledged before the next is read. */
  sync: boolean;
}

export interface SendOutcome {
  acknowledged: number;
  failed: number;
  /** The first failure, which usually explains the others. */
  firstError?: unknown;
}

interface Batch {
  messages: Message[];
  bytes: number;
}

/** Batches awaiting a free send slot before the reader is asked to pause. */
const MAX_QUEUED_BATCHES = 2;

/**
 * Gathers records into batches and keeps up to `maxInFlight` sends running, so reading never
 * waits for a round trip unless the buffers are full. Every record ends up acknowledged or
 * counted as failed.
 */
export class SendPipeline {
  private current: Batch = { messages: [], bytes: 0 };
  private readonly queued: Batch[] = [];
  private inFlight = 0;
  private bufferedBytes = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  private readonly outcome: SendOutcome = { acknowledged: 0, failed: 0 };

  constructor(
    private readonly send: (messages: Message[]) => Promise<unknown>,
    private readonly options: PipelineOptions,
  ) {}

  add(message: Message, bytes: number): void {
    this.current.messages.push(message);
    this.current.bytes += bytes;
    this.bufferedBytes += bytes;
    if (
      this.options.sync ||
      this.current.bytes >= this.options.batchBytes ||
      this.current.messages.length >= this.options.batchRecords
    ) {
      this.flush();
    } else {
      this.lingerTimer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    }
  }

  /** True when the reader should `await waitForRoom()` before adding more. */
  get needsRoom(): boolean {
    if (this.options.sync) return this.inFlight > 0;
    return this.queued.length >= MAX_QUEUED_BATCHES || this.bufferedBytes >= this.options.bufferMemory;
  }

  async waitForRoom(): Promise<void> {
    // A gathered batch bigger than the buffer would otherwise wait for itself.
    if (this.needsRoom && this.inFlight === 0) this.flush();
    while (this.needsRoom) await this.nextSettle();
  }

  /** Sends what is gathered and resolves once every record is acknowledged or failed. */
  async close(): Promise<SendOutcome> {
    this.flush();
    while (this.inFlight > 0 || this.queued.length > 0) await this.nextSettle();
    return this.outcome;
  }

  private nextSettle(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  flush(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    if (this.current.messages.length === 0) return;
    this.queued.push(this.current);
    this.current = { messages: [], bytes: 0 };
    this.startSends();
  }

  private startSends(): void {
    while (this.inFlight < this.options.maxInFlight && this.queued.length > 0) {
      const batch = this.queued.shift()!;
      this.inFlight++;
      this.send(batch.messages).then(
        () => this.settle(batch, undefined),
        (err: unknown) => this.settle(batch, err ?? new Error('send failed')),
      );
    }
  }

  private settle(batch: Batch, err: unknown): void {
    this.inFlight--;
    this.bufferedBytes -= batch.bytes;
    if (err === undefined) this.outcome.acknowledged += batch.messages.length;
    else {
      this.outcome.failed += batch.messages.length;
      this.outcome.firstError ??= err;
    }
    this.startSends();
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
