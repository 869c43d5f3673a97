import { DecompressionLimitError } from '../../protocol/records/bounded-output.js';
import { checkProducedRecordsInSlices, checkProducedRecordsWithin } from '../../protocol/records/produced-records.js';
import { ApiError } from '../api-error.js';
import { topicPartitionKey } from '../log/log-file-names.js';
import type { PreparedAppend, ProduceEntry, ProduceOptions, ProduceResult, ReplicaManager } from '../partition/replica-manager.js';
import { SliceScheduler } from './slice-scheduler.js';

/**
 * Bytes checked in one go before the event loop is handed back (batch CRCs, decompression, the
 * records' walk): ~1 ms. A request that takes more is finished in slices of this size.
 */
const SLICE_BYTES = 1 << 20;
/** Requests being checked in slices at once, broker-wide (each holds a decompressor's state). */
const MAX_ACTIVE_SLICED_REQUESTS = 2;

export interface ProducePipelineOptions {
  replicaManager: ReplicaManager;
  /** socket.request.max.bytes: what one request may hold uncompressed, and so what its records may inflate to. */
  maxRequestBytes: () => number;
  now?: () => number;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

/** An entry left to the request's sliced job: prepared there too (its batch CRC) unless it already was. */
interface SlicedEntry {
  entry: ProduceEntry;
  prepared?: PreparedAppend;
  checked: Deferred<PreparedAppend>;
}

/** A request's work: bytes still checked before the event loop is handed back, bytes decompressed in all, what is left to slices. */
interface RequestWork {
  readonly options: ProduceOptions;
  readonly now: number;
  slice: number;
  decompressed: number;
  readonly limit: number;
  readonly sliced: SlicedEntry[];
}

/**
 * Produce requests from clients, with a bounded cost per request and fair to everyone else
 * (Kafka's handleProduceRequest → appendRecords, where request handler threads share the work):
 *
 * - An entry's records are checked as they come out of the decompressor and refused at the first
 *   bad one; no record may be larger than an uncompressed batch of its own could be
 *   (max.message.bytes), and all of a request's records may not inflate to more than the request
 *   itself could hold uncompressed (socket.request.max.bytes): MESSAGE_TOO_LARGE past either.
 * - A request whose batches (their CRC) and records take at most SLICE_BYTES is checked and
 *   appended at once. Beyond that, the rest is prepared and checked in slices by the
 *   SliceScheduler, one slice per turn of the event loop, so other clients' requests (a Metadata
 *   request, a small Produce) are answered meanwhile.
 * - Appends to a partition happen in the order its entries arrived on the connection, whichever
 *   entry finished its checks first: an idempotent producer's pipelined batches stay in sequence.
 */
export class ProducePipeline {
  readonly #replicaManager: ReplicaManager;
  readonly #maxRequestBytes: () => number;
  readonly #now: () => number;
  readonly #scheduler = new SliceScheduler(MAX_ACTIVE_SLICED_REQUESTS);
  /** Per connection and partition: the last append queued, which the next one waits for. */
  readonly #tails = new WeakMap<object, Map<string, Promise<unknown>>>();

  constructor(options: ProducePipelineOptions) {
    this.#replicaManager = options.replicaManager;
    this.#maxRequestBytes = options.maxRequestBytes;
    this.#now = options.now ?? Date.now;
  }

  /** One result per entry, in order; each entry is checked and appended on its own. */
  produce(entries: readonly ProduceEntry[], options: ProduceOptions, connection: object): ProduceResult[] | Promise<ProduceResult[]> {
    let tails = this.#tails.get(connection);
    if (!tails) this.#tails.set(connection, (tails = new Map()));
    const limit = this.#maxRequestBytes();
    const work: RequestWork = { options, now: this.#now(), slice: SLICE_BYTES, decompressed: limit, limit, sliced: [] };
    const results = entries.map((entry) => this.#entry(entry, work, tails));
    if (work.sliced.length > 0) this.#checkInSlices(connection, work);
    return results.some((r) => r instanceof Promise) ? Promise.all(results) : (results as ProduceResult[]);
  }

  #entry(entry: ProduceEntry, work: RequestWork, tails: Map<string, Promise<unknown>>): ProduceResult | Promise<ProduceResult> {
    const key = topicPartitionKey(entry);
    let prepared: PreparedAppend | undefined;
    // Once one entry waits for slices, the ones after it do too: the budget is spent in request order.
    if (work.sliced.length === 0 && (entry.records?.length ?? 0) <= work.slice) {
      try {
        prepared = this.#replicaManager.prepareAppend(entry, work.options);
        work.slice -= prepared.records.length;
        if (this.#checkAtOnce(prepared, work)) {
          const checked = prepared;
          return tails.has(key) ? this.#queue(tails, key, Promise.resolve(checked), entry) : this.#replicaManager.appendPrepared(checked);
        }
      } catch (err) {
        return this.#replicaManager.failed(entry, err);
      }
    }
    const checked = deferred<PreparedAppend>();
    work.sliced.push({ entry, prepared, checked });
    return this.#queue(tails, key, checked.promise, entry);
  }

  /** Checks the records now if they fit what is left of the slice; false when they must wait for slices. */
  #checkAtOnce(prepared: PreparedAppend, work: RequestWork): boolean {
    const { records, batch, partition } = prepared;
    const compressed = batch.compression !== 'none';
    const max = compressed ? Math.min(work.slice, work.decompressed) : work.slice;
    const bytes = checkProducedRecordsWithin(records, batch, partition.recordRules(work.now), max);
    if (bytes === undefined) return false;
    work.slice -= bytes;
    if (compressed) work.decompressed -= bytes;
    return true;
  }

  /** The request's remaining entries, prepared and checked one after the other in slices; each settles its `checked`. */
  #checkInSlices(connection: object, work: RequestWork): void {
    const job = async (pause: () => Promise<void>) => {
      let sincePause = 0;
      for (const sliced of work.sliced) {
        try {
          if (!sliced.prepared) {
            const size = sliced.entry.records?.length ?? 0;
            if (sincePause > 0 && sincePause + size > SLICE_BYTES) {
              await pause();
              sincePause = 0;
            }
            sincePause += size;
            sliced.prepared = this.#replicaManager.prepareAppend(sliced.entry, work.options);
          }
          sliced.checked.resolve(await this.#checkSliced(sliced.prepared, work, pause));
        } catch (err) {
          sliced.checked.reject(err);
        }
      }
    };
    // The job catches each entry's failure itself; nothing else can reject it.
    void this.#scheduler.run(connection, job);
  }

  /** Checks an entry's records in slices against what is left of the request's decompression budget. */
  async #checkSliced(prepared: PreparedAppend, work: RequestWork, pause: () => Promise<void>): Promise<PreparedAppend> {
    const { records, batch, partition } = prepared;
    const compressed = batch.compression !== 'none';
    const max = compressed ? work.decompressed : Number.MAX_SAFE_INTEGER;
    try {
      const bytes = await checkProducedRecordsInSlices(records, batch, partition.recordRules(work.now), max, SLICE_BYTES, pause);
      if (compressed) work.decompressed -= bytes;
      return prepared;
    } catch (err) {
      if (!(err instanceof DecompressionLimitError)) throw err;
      work.decompressed = 0;
      throw new ApiError(
        'MESSAGE_TOO_LARGE',
        `The records in the append to ${partition.log.name} decompress to more than is left of the request's limit of ${work.limit} bytes (socket.request.max.bytes), the most its records could take uncompressed.`,
      );
    }
  }

  /** Appends once `checked` has resolved and the partition's previous entry from this connection is done. */
  #queue(tails: Map<string, Promise<unknown>>, key: string, checked: Promise<PreparedAppend>, entry: ProduceEntry): Promise<ProduceResult> {
    // Results never reject, so the previous entry has appended (or failed) before this one's turn.
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous
      .then(() => checked)
      .then(
        (prepared) => this.#replicaManager.appendPrepared(prepared),
        (err: unknown) => this.#replicaManager.failed(entry, err),
      );
    tails.set(key, result);
    void result.then(() => {
      if (tails.get(key) === result) tails.delete(key);
    });
    return result;
  }
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
