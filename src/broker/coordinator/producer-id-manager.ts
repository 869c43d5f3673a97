import type { MetadataStore } from '../metadata/metadata-store.js';

/** Kafka's ProducerIdManager block size: one store write per thousand producers. */
const BLOCK_SIZE = 1000;

/**
 * Hands out producer ids (InitProducerId) from blocks reserved in the metadata store, so no id is
 * reused after a restart: a reused id would meet the old producer's sequence state in the logs.
 */
export class ProducerIdManager {
  #next = 0n;
  #end = 0n;
  #refill: Promise<void> | undefined;

  constructor(private readonly store: MetadataStore) {}

  async generateProducerId(): Promise<bigint> {
    while (this.#next >= this.#end) {
      this.#refill ??= this.store.allocateProducerIds(BLOCK_SIZE).then(
        (first) => {
          this.#next = first;
          this.#end = first + BigInt(BLOCK_SIZE);
          this.#refill = undefined;
        },
        (err: unknown) => {
          this.#refill = undefined;
          throw err;
        },
      );
      await this.#refill;
    }
    return this.#next++;
  }
}
