import { DecompressionLimitError } from '../../protocol/records/bounded-output.js';
import {
  type ProducedRecordRules,
  checkProducedRecordsInSlices,
  checkProducedRecordsWithin,
} from '../../protocol/records/produced-records.js';
import { ApiError } from '../api-error.js';
import { topicPartitionKey } from '../log/log-file-names.js';
import type { PreparedAppend, ProduceEntry, ProduceOptions, ProduceResult, ReplicaManager } from '../partition/replica-manager.js';
import { SliceScheduler } from './slice-scheduler.js';

/**
 * Records checked in one go before the event loop is handed back: ~1 ms of decompression and
 * walking. A request whose records take more is finished in slices of this size.
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

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** An entry whose records are checked after the request has been answered for the moment. */
interface SlicedEntry {
  prepared: PreparedAppend;
  rules: ProducedRecordRules;
  checked: Deferred;
}

/** What a request may still spend: bytes checked before the event loop is handed back, bytes decompressed in all. */
interface RequestAllowance {
  slice: number;
  decompressed: number;
  readonly limit: number;
  readonly sliced: SlicedEntry[];
}

const SETTLED = Promise.resolve();

/**
 * Produce requests from clients, with a bounded cost per request and fair to everyone else
 * (Kafka's handleProduceRequest → appendRecords, where request handler threads share the work):
 *
 * - An entry's records are checked as they come out of the decompressor and refused at the first
 *   bad one; no record may be larger than an uncompressed batch of its own could be
 *   (max.message.bytes), and all of a request's records may not inflate to more than the request
 *   itself could hold uncompressed (socket.request.max.bytes): MESSAGE_TOO_LARGE past either.
 * - A request whose records take at most SLICE_BYTES is checked and appended at once. Beyond that,
 *   the rest is checked in slices by the SliceScheduler, one slice per turn of the event loop, so
 *   other clients' requests (a Metadata request, a small Produce) are answered meanwhile.
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
    const now = this.#now();
    let tails = this.#tails.get(connection);
    if (!tails) this.#tails.set(connection, (tails = new Map()));
    const limit = this.#maxRequestBytes();
    const allowance: RequestAllowance = { slice: SLICE_BYTES, decompressed: limit, limit, sliced: [] };
    const results = entries.map((entry) => this.#entry(entry, options, now, tails, allowance));
    if (allowance.sliced.length > 0) this.#checkInSlices(connection, allowance);
    return results.some((r) => r instanceof Promise) ? Promise.all(results) : (results as ProduceResult[]);
  }

  #entry(
    entry: ProduceEntry,
    options: ProduceOptions,
    now: number,
    tails: Map<string, Promise<unknown>>,
    allowance: RequestAllowance,
  ): ProduceResult | Promise<ProduceResult> {
    const replicaManager = this.#replicaManager;
    let prepared: PreparedAppend;
    let rules: ProducedRecordRules;
    try {
      prepared = replicaManager.prepareAppend(entry, options);
      rules = prepared.partition.recordRules(now);
      // Once one entry waits for slices, the ones after it do too: the budget is spent in request order.
      if (allowance.sliced.length === 0 && this.#checkAtOnce(prepared, rules, allowance)) {
        const key = topicPartitionKey(prepared.partition.topicPartition);
        const append = () => replicaManager.appendPrepared(prepared);
        return tails.has(key) ? this.#queue(tails, key, SETTLED, append, entry) : append();
      }
    } catch (err) {
      return replicaManager.failed(entry, err);
    }
    const checked = deferred();
    allowance.sliced.push({ prepared, rules, checked });
    const key = topicPartitionKey(prepared.partition.topicPartition);
    return this.#queue(tails, key, checked.promise, () => replicaManager.appendPrepared(prepared), entry);
  }

  /** Checks the records now if they fit what is left of the slice; false when they must wait for slices. */
  #checkAtOnce({ records, batch }: PreparedAppend, rules: ProducedRecordRules, allowance: RequestAllowance): boolean {
    const compressed = batch.compression !== 'none';
    const max = compressed ? Math.min(allowance.slice, allowance.decompressed) : allowance.slice;
    const bytes = checkProducedRecordsWithin(records, batch, rules, max);
    if (bytes === undefined) return false;
    allowance.slice -= bytes;
    if (compressed) allowance.decompressed -= bytes;
    return true;
  }

  /** The request's remaining entries, checked one after the other in slices; each settles its `checked`. */
  #checkInSlices(connection: object, allowance: RequestAllowance): void {
    const pending = [...allowance.sliced];
    const job = async (pause: () => Promise<void>) => {
      for (const { prepared, rules, checked } of pending) {
        const { records, batch, partition } = prepared;
        const compressed = batch.compression !== 'none';
        try {
          const max = compressed ? allowance.decompressed : Number.MAX_SAFE_INTEGER;
          const bytes = await checkProducedRecordsInSlices(records, batch, rules, max, SLICE_BYTES, pause);
          if (compressed) allowance.decompressed -= bytes;
          checked.resolve();
        } catch (err) {
          if (!(err instanceof DecompressionLimitError)) {
            checked.reject(err);
            continue;
          }
          allowance.decompressed = 0;
          checked.reject(
            new ApiError(
              'MESSAGE_TOO_LARGE',
              `The records in the append to ${partition.log.name} decompress to more than is left of the request's limit of ${allowance.limit} bytes (socket.request.max.bytes), the most its records could take uncompressed.`,
            ),
          );
        }
      }
    };
    // The job catches each entry's failure itself; nothing else can reject it.
    void this.#scheduler.run(connection, job);
  }

  /** `append` once `checked` has resolved and the partition's previous entry from this connection is done. */
  #queue(
    tails: Map<string, Promise<unknown>>,
    key: string,
    checked: Promise<void>,
    append: () => ProduceResult,
    entry: ProduceEntry,
  ): Promise<ProduceResult> {
    // Results never reject, so the previous entry has appended (or failed) before this one's turn.
    const previous = tails.get(key) ?? SETTLED;
    const result = previous.then(() => checked).then(append, (err: unknown) => this.#replicaManager.failed(entry, err));
    tails.set(key, result);
    void result.then(() => {
      if (tails.get(key) === result) tails.delete(key);
    });
    return result;
  }
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
