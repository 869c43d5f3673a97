import { BATCH, type CompressionName } from '../../protocol/records/batch-header.js';
import { CompressionRatios, ESTIMATION_FACTOR } from './compression-ratio.js';
import type { ClusterMetadata } from '../cluster-metadata.js';
import { ProducerBatch } from './producer-batch.js';
import type { DeliveryCallback, ProducerHeader } from './producer-record.js';

/** One partition's batches, oldest first. Only the last one is ever open for appends. */
export interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  readonly batches: ProducerBatch[];
  /** With max.in.flight.requests.per.connection=1: a batch is in flight, keep the rest back. */
  muted: boolean;
}

export interface AccumulatorConfig {
  batchSize: number;
  bufferMemory: number;
  lingerMs: number;
  compression: CompressionName;
  compressionLevel?: number;
  deliveryTimeoutMs: number;
}

/** Batch buffers cut from one allocation (see cutFromSlab). */
const SLAB_BATCHES = 64;

/** `append` could not get buffer memory for a new batch: the record must wait. */
export const NEEDS_MEMORY = -1;
/** `append` needs a batch larger than all of buffer.memory: waiting would never help. */
export const EXCEEDS_MEMORY = -2;

export interface Readiness {
  /** Leaders with at least one batch to send now. */
  nodes: Set<number>;
  /** When the next batch becomes sendable by lingering or backoff (Infinity: none waits). */
  nextDelayMs: number;
  /** Some batch waits for a partition without a known leader. */
  unknownLeader: boolean;
}

/**
 * Kafka's RecordAccumulator: records are appended to their partition's open batch; a batch
 * becomes sendable when full, when it lingered `linger.ms` (or sat out its retry backoff), on
 * flush, or when senders wait for memory. Batches are charged to `buffer.memory` from creation
 * until their outcome is known.
 */
export class RecordAccumulator {
  private readonly queues = new Map<string, PartitionQueue[]>();
  private readonly ratios = new CompressionRatios();
  /**
   * Buffers of batch.size bytes whose batches are done, for new batches (Kafka's BufferPool keeps
   * them the same way): a steady stream of batches reuses memory it has already touched instead of
   * faulting in fresh pages for every batch. They count as free memory.
   */
  private readonly pool: Buffer[] = [];
  /** Where new batch.size buffers are cut from while the pool is empty, and how much of it is cut. */
  private slab: Buffer | undefined;
  private slabUsed = 0;
  private usedMemory = 0;
  private incompleteBatches = 0;
  private drainIndex = 0;
  /** While positive, every batch is sendable at once. */
  flushing = 0;

  constructor(private readonly config: AccumulatorConfig) {}

  queue(topic: string, partition: number): PartitionQueue {
    let partitions = this.queues.get(topic);
    if (partitions === undefined) this.queues.set(topic, (partitions = []));
    let q = partitions[partition];
    if (q === undefined) partitions[partition] = q = { topic, partition, batches: [], muted: false };
    return q;
  }

  /** Appends a record; returns the bytes it took (batch header included when it opened one), NEEDS_MEMORY or EXCEEDS_MEMORY. */
  append(
    q: PartitionQueue,
    timestamp: number,
    key: Buffer | null,
    value: Buffer | string | null,
    headers: readonly ProducerHeader[] | undefined,
    callback: DeliveryCallback,
    sizeUpperBound: number,
    nowMs: number,
  ): number {
    const open = this.openBatch(q);
    if (open !== undefined) {
      const appended = open.tryAppend(timestamp, key, value, headers, callback);
      if (appended >= 0) return appended;
    }
    const batch = this.newBatch(q, sizeUpperBound, nowMs);
    return typeof batch === 'number' ? batch : BATCH.HEADER_SIZE + batch.tryAppend(timestamp, key, value, headers, callback);
  }

  /** A new batch at the end of `q` with room for a record of `sizeUpperBound` bytes, or why there is none. */
  newBatch(q: PartitionQueue, sizeUpperBound: number, nowMs: number): ProducerBatch | typeof NEEDS_MEMORY | typeof EXCEEDS_MEMORY {
    const size = Math.max(this.config.batchSize, sizeUpperBound);
    if (size > this.config.bufferMemory) return EXCEEDS_MEMORY;
    if (this.usedMemory + size > this.config.bufferMemory) return NEEDS_MEMORY;
    const { compression } = this.config;
    const factor = compression === 'none' ? 1 : this.ratios.estimate(q.topic, compression) * ESTIMATION_FACTOR;
    const buffer = size === this.config.batchSize ? (this.pool.pop() ?? this.cutFromSlab()) : Buffer.allocUnsafe(size);
    const batch = this.allocate(new ProducerBatch(q.topic, q.partition, size, nowMs, this.config.batchSize, factor, buffer));
    q.batches.push(batch);
    return batch;
  }

  /**
   * A fresh batch.size buffer, cut from a slab of SLAB_BATCHES of them: one allocation where a
   * buffer each cost more than filling it (until the pool has buffers to give back).
   */
  private cutFromSlab(): Buffer {
    const size = this.config.batchSize;
    if (this.slab === undefined || this.slabUsed + size > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(size, Math.min(this.config.bufferMemory, SLAB_BATCHES * size)));
      this.slabUsed = 0;
    }
    const buffer = this.slab.subarray(this.slabUsed, this.slabUsed + size);
    this.slabUsed += size;
    return buffer;
  }

  private allocate(batch: ProducerBatch): ProducerBatch {
    this.usedMemory += batch.allocated;
    this.incompleteBatches++;
    return batch;
  }

  /**
   * Kafka's splitAndReenqueue, for a batch the broker refused as MESSAGE_TOO_LARGE: its records
   * go back, untried, in smaller batches at the head of the partition's queue (in sequence order
   * once `sequence` gave them sequences). Java splits into batch.size pieces, which never ends when
   * the topic's max.message.bytes is below batch.size; kts halves the batch instead, so each
   * split makes progress and a record too large on its own ends up alone, failing by itself.
   */
  splitAndReenqueue(batch: ProducerBatch, sequence: (parts: readonly ProducerBatch[]) => void): number {
    const target = Math.min(this.config.batchSize, Math.max(1, Math.floor(batch.recordsBytes / 2)));
    const parts = batch.split(target).map((part) => this.allocate(part));
    this.deallocate(batch);
    sequence(parts);
    const q = this.queue(batch.topic, batch.partition);
    // Without sequences each part goes to the front, so the last one goes in first.
    for (const part of parts[0]!.baseSequence >= 0 ? parts : [...parts].reverse()) insertInSequenceOrder(q, part);
    return parts.length;
  }

  /** The partition's batch still taking records: its last, unless that one is full or drained (see StickyPartitioner). */
  openBatch(q: PartitionQueue): ProducerBatch | undefined {
    const last = q.batches[q.batches.length - 1];
    return last === undefined || last.full || last.closed ? undefined : last;
  }

  /** A batch's outcome is known: its memory returns to the pool. */
  deallocate(batch: ProducerBatch): void {
    this.usedMemory -= batch.allocated;
    this.incompleteBatches--;
    if (batch.buffer.length === this.config.batchSize) this.pool.push(batch.buffer);
  }

  /** Batches appended to and not yet acknowledged or failed. */
  get incomplete(): number {
    return this.incompleteBatches;
  }

  ready(metadata: ClusterMetadata, nowMs: number, memoryWaiting: boolean): Readiness {
    const nodes = new Set<number>();
    let nextDelayMs = Infinity;
    let unknownLeader = false;
    const urgent = memoryWaiting || this.flushing > 0;
    for (const partitions of this.queues.values()) {
      for (const q of partitions) {
        const first = q?.batches[0];
        if (first === undefined || q!.muted) continue;
        const leader = metadata.leader(q!.topic, q!.partition);
        if (leader < 0) {
          unknownLeader = true;
          continue;
        }
        if (nodes.has(leader)) continue;
        const backingOff = first.attempts > 0 && nowMs < first.retryAtMs;
        if (backingOff) {
          nextDelayMs = Math.min(nextDelayMs, first.retryAtMs - nowMs);
          continue;
        }
        const lingerLeft = first.createdMs + this.config.lingerMs - nowMs;
        if (urgent || first.attempts > 0 || q!.batches.length > 1 || first.full || first.closed || lingerLeft <= 0) nodes.add(leader);
        else nextDelayMs = Math.min(nextDelayMs, lingerLeft);
      }
    }
    return { nodes, nextDelayMs, unknownLeader };
  }

  /**
   * Takes the first batch of each partition led by `node`, up to `maxSize` bytes (at least one
   * batch), closing each. Partitions take turns at going first. `canDrain` may hold a partition
   * back (idempotence ordering); `onDrain` sees each batch once it is closed.
   */
  drain(
    metadata: ClusterMetadata,
    node: number,
    maxSize: number,
    nowMs: number,
    canDrain: (q: PartitionQueue, batch: ProducerBatch) => boolean,
    onDrain: (q: PartitionQueue, batch: ProducerBatch) => void,
  ): ProducerBatch[] {
    const candidates: PartitionQueue[] = [];
    for (const partitions of this.queues.values()) {
      for (const q of partitions) {
        if (q !== undefined && q.batches.length > 0 && !q.muted && metadata.leader(q.topic, q.partition) === node) candidates.push(q);
      }
    }
    const out: ProducerBatch[] = [];
    let size = 0;
    const start = this.drainIndex++ % Math.max(1, candidates.length);
    for (let i = 0; i < candidates.length; i++) {
      const q = candidates[(start + i) % candidates.length]!;
      const batch = q.batches[0]!;
      if (batch.attempts > 0 && nowMs < batch.retryAtMs) continue;
      if (out.length > 0 && size + batch.estimatedSize > maxSize) break;
      if (!canDrain(q, batch)) continue;
      q.batches.shift();
      if (!batch.closed) {
        batch.close(this.config.compression, this.config.compressionLevel);
        this.ratios.observe(q.topic, this.config.compression, batch.recordsBytes, batch.encoded!.length - BATCH.HEADER_SIZE);
      }
      onDrain(q, batch);
      size += batch.encoded!.length;
      out.push(batch);
    }
    return out;
  }

  /** Puts a batch back for a retry after `backoffMs`, ahead of newer batches and in sequence order. */
  reenqueue(batch: ProducerBatch, nowMs: number, backoffMs: number): void {
    batch.attempts++;
    batch.retryAtMs = nowMs + backoffMs;
    insertInSequenceOrder(this.queue(batch.topic, batch.partition), batch);
  }

  /** Removes and returns the waiting batches older than delivery.timeout.ms. */
  expire(nowMs: number): ProducerBatch[] {
    const expired: ProducerBatch[] = [];
    for (const partitions of this.queues.values()) {
      for (const q of partitions) {
        if (q === undefined) continue;
        while (q.batches.length > 0 && nowMs - q.batches[0]!.createdMs >= this.config.deliveryTimeoutMs) expired.push(q.batches.shift()!);
      }
    }
    return expired;
  }

  /** Removes and returns every waiting batch (the producer is being torn down). */
  abortAll(): ProducerBatch[] {
    const all: ProducerBatch[] = [];
    for (const partitions of this.queues.values()) for (const q of partitions) if (q !== undefined) all.push(...q.batches.splice(0));
    return all;
  }
}

/** Ahead of newer batches, behind the waiting ones with a smaller sequence (those only exist with idempotence). */
function insertInSequenceOrder(q: PartitionQueue, batch: ProducerBatch): void {
  let i = 0;
  while (i < q.batches.length && q.batches[i]!.baseSequence >= 0 && q.batches[i]!.baseSequence < batch.baseSequence) i++;
  q.batches.splice(i, 0, batch);
}
