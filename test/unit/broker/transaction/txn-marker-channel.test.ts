import { describe, expect, it } from 'vitest';
import { MetadataCache } from '../../../../src/broker/metadata/metadata-cache.js';
import { TxnMarkerChannel, type TxnMarkerSpec } from '../../../../src/broker/transaction/txn-marker-channel.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import type { WriteTxnMarkersRequest, WriteTxnMarkersResponse } from '../../../../src/protocol/generated/apis/write-txn-markers.js';

/** The local broker's partition writer, answering each request when the test says so. */
class HeldWriter {
  readonly requests: WriteTxnMarkersRequest[] = [];
  readonly #held: (() => void)[] = [];

  constructor(private readonly errorFor: (producerId: bigint, partition: number, attempt: number) => number = () => ErrorCode.NONE) {}

  write(request: WriteTxnMarkersRequest): Promise<WriteTxnMarkersResponse> {
    const attempt = this.requests.length;
    this.requests.push(request);
    const response: WriteTxnMarkersResponse = {
      markers: request.markers.map((m) => ({
        producerId: m.producerId,
        topics: m.topics.map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => ({
            partitionIndex,
            errorCode: this.errorFor(m.producerId, partitionIndex, attempt),
          })),
        })),
      })),
    };
    return new Promise((resolve) => this.#held.push(() => resolve(response)));
  }

  /** Answers the oldest unanswered request. */
  answer(): void {
    this.#held.shift()!();
  }

  /** Markers per request: the producer ids each carried. */
  get producersPerRequest(): bigint[][] {
    return this.requests.map((r) => r.markers.map((m) => m.producerId));
  }
}

const LOCAL = 1;

function channelWith(writer: HeldWriter): TxnMarkerChannel {
  const partitions = [0, 1].map((partition) => ({ partition, replicas: [LOCAL], leader: LOCAL, leaderEpoch: 0, isr: [LOCAL] }));
  const metadata = new MetadataCache([{ name: 't', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions, configs: {} }]);
  return new TxnMarkerChannel({ localBrokerId: LOCAL, metadata, writer, log: () => {} });
}

const marker = (producerId: bigint): TxnMarkerSpec => ({ producerId, producerEpoch: 0, commit: true, coordinatorEpoch: 0 });
const both = [
  { topic: 't', partition: 0 },
  { topic: 't', partition: 1 },
];
const owner = () => true;

/** Lets the channel's promises settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TxnMarkerChannel', () => {
  it("puts the markers of transactions that completed while a leader's request was out into its next request", async () => {
    const writer = new HeldWriter();
    const channel = channelWith(writer);
    const first = channel.send(marker(1n), both, owner);
    await settle();
    const more = [2n, 3n, 4n].map((id) => channel.send(marker(id), both, owner));
    await settle();
    expect(writer.producersPerRequest).toEqual([[1n]]);
    writer.answer();
    await settle();
    expect(writer.producersPerRequest).toEqual([[1n], [2n, 3n, 4n]]);
    writer.answer();
    expect(await Promise.all([first, ...more])).toEqual(['done', 'done', 'done', 'done']);
  });

  it('gives each transaction of a shared request its own answers: a retriable error is retried for that one, a fenced one stops only it', async () => {
    const writer = new HeldWriter((producerId, partition, attempt) =>
      producerId === 2n && partition === 1 && attempt === 1
        ? ErrorCode.NOT_LEADER_OR_FOLLOWER
        : producerId === 3n
          ? ErrorCode.INVALID_PRODUCER_EPOCH
          : ErrorCode.NONE,
    );
    const channel = channelWith(writer);
    const first = channel.send(marker(1n), both, owner);
    await settle();
    const second = channel.send(marker(2n), both, owner);
    const third = channel.send(marker(3n), both, owner);
    await settle();
    writer.answer();
    await settle();
    writer.answer();
    expect(await third).toBe('stopped');
    expect(await first).toBe('done');
    // Transaction 2's partition 1 goes again, alone, after the retry backoff.
    while (writer.requests.length < 3) await settle();
    expect(writer.requests[2]!.markers).toEqual([
      { producerId: 2n, producerEpoch: 0, transactionResult: true, coordinatorEpoch: 0, topics: [{ name: 't', partitionIndexes: [1] }] },
    ]);
    writer.answer();
    expect(await second).toBe('done');
  });
});
