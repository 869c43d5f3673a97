import type { BrokerLogger } from '../broker-logger.js';

/** Something the controller reacts to (a watch firing, a request, a response), processed alone. */
export interface ControllerEvent {
  readonly name: string;
  process(): Promise<void>;
  /** Answers the event's caller when the event is dropped unprocessed (queue cleared on session expiry, or closed). */
  preempt?(): void;
}

/**
 * Kafka's ControllerEventManager: the controller's events run one at a time, in order, so its
 * state is only ever touched by one event. A failing event is logged; the queue goes on.
 */
export class ControllerEventQueue {
  readonly #queue: ControllerEvent[] = [];
  #draining: Promise<void> | undefined;
  #closed = false;

  constructor(private readonly log: BrokerLogger) {}

  put(event: ControllerEvent): void {
    if (this.#closed) {
      event.preempt?.();
      return;
    }
    this.#queue.push(event);
    this.#draining ??= this.#drain();
  }

  /** Drops what is queued (preempting it) and queues `event`; resolves once it has been processed. */
  clearAndPut(event: ControllerEvent): Promise<void> {
    for (const dropped of this.#queue.splice(0)) dropped.preempt?.();
    return new Promise((resolve) => {
      this.put({
        name: event.name,
        process: () => event.process().finally(resolve),
        preempt: () => {
          event.preempt?.();
          resolve();
        },
      });
    });
  }

  /** Resolves once the queue is empty and nothing is running. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /** Drops what is queued and resolves once the running event (if any) is done. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const dropped of this.#queue.splice(0)) dropped.preempt?.();
    await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      for (let event = this.#queue.shift(); event; event = this.#queue.shift()) {
        try {
          await event.process();
        } catch (err) {
          this.log('error', `Controller event ${event.name} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } finally {
      this.#draining = undefined;
    }
  }
}
