/** An item waiting for its broker's next request, and where its answer goes. */
interface Pending<Item, Answer> {
  item: Item;
  answered: (answer: Answer) => void;
  failed: (err: Error) => void;
}

interface BrokerQueue<Item, Answer> {
  queued: Pending<Item, Answer>[];
  sending: boolean;
}

/**
 * Requests to a broker made one at a time, each carrying every item queued while the one before
 * was out: how Kafka's inter-broker senders (TransactionMarkerChannelManager,
 * AddPartitionsToTxnManager) batch transaction markers and verifications. An idle broker gets its
 * request at once; under load, one request serves many transactions.
 */
export class PerBrokerBatcher<Item, Answer> {
  readonly #brokers = new Map<number, BrokerQueue<Item, Answer>>();

  constructor(
    /** Sends one request for `batch` and answers each item, in order. */
    private readonly send: (broker: number, batch: readonly Item[]) => Promise<Answer[]>,
    /** Items with the same key do not share a request: a later one waits for the request after. */
    private readonly keyOf?: (item: Item) => string,
  ) {}

  /** The item's answer from the next request to `broker` that carries it. */
  request(broker: number, item: Item): Promise<Answer> {
    return new Promise((answered, failed) => {
      let queue = this.#brokers.get(broker);
      if (queue === undefined) this.#brokers.set(broker, (queue = { queued: [], sending: false }));
      queue.queued.push({ item, answered, failed });
      if (!queue.sending) void this.#drain(broker, queue);
    });
  }

  async #drain(broker: number, queue: BrokerQueue<Item, Answer>): Promise<void> {
    queue.sending = true;
    while (queue.queued.length > 0) {
      const batch = this.#nextBatch(queue);
      try {
        const answers = await this.send(
          broker,
          batch.map((p) => p.item),
        );
        for (const [i, pending] of batch.entries()) pending.answered(answers[i]!);
      } catch (err) {
        for (const pending of batch) pending.failed(err as Error);
      }
    }
    queue.sending = false;
  }

  #nextBatch(queue: BrokerQueue<Item, Answer>): Pending<Item, Answer>[] {
    const { keyOf } = this;
    if (keyOf === undefined) return queue.queued.splice(0);
    const batch: Pending<Item, Answer>[] = [];
    const later: Pending<Item, Answer>[] = [];
    const keys = new Set<string>();
    for (const pending of queue.queued) {
      const key = keyOf(pending.item);
      if (keys.has(key)) later.push(pending);
      else {
        keys.add(key);
        batch.push(pending);
      }
    }
    queue.queued = later;
    return batch;
  }
}
