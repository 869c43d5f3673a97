import { describe, expect, it } from 'vitest';
import { MetadataCache } from '../../../../src/broker/metadata/metadata-cache.js';
import type { BrokerLink } from '../../../../src/broker/replication/broker-link.js';
import { TRANSACTION_STATE_TOPIC } from '../../../../src/broker/transaction/transaction-log.js';
import { TxnVerifier } from '../../../../src/broker/transaction/txn-verifier.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import type {
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
} from '../../../../src/protocol/generated/apis/add-partitions-to-txn.js';

const LOCAL = 1;
const COORDINATOR = 2;

/** The coordinator's end of the inter-broker link: AddPartitionsToTxn v4, answered when the test says so. */
class HeldCoordinator {
  readonly requests: AddPartitionsToTxnRequest[] = [];
  readonly #held: (() => void)[] = [];

  constructor(private readonly errorFor: (transactionalId: string) => number) {}

  versionOf(): number {
    return 4;
  }

  request(_api: unknown, request: AddPartitionsToTxnRequest): Promise<AddPartitionsToTxnResponse> {
    this.requests.push(request);
    const response: AddPartitionsToTxnResponse = {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      resultsByTopicV3AndBelow: [],
      resultsByTransaction: request.transactions.map((t) => ({
        transactionalId: t.transactionalId,
        topicResults: t.topics.map((topic) => ({
          name: topic.name,
          resultsByPartition: topic.partitions.map((partitionIndex) => ({
            partitionIndex,
            partitionErrorCode: this.errorFor(t.transactionalId),
          })),
        })),
      })),
    };
    return new Promise((resolve) => this.#held.push(() => resolve(response)));
  }

  answer(): void {
    this.#held.shift()!();
  }

  get idsPerRequest(): string[][] {
    return this.requests.map((r) => r.transactions.map((t) => t.transactionalId));
  }
}

function verifierFor(coordinator: HeldCoordinator): TxnVerifier {
  // One __transaction_state partition, led by the other broker: every transactional id is its.
  const metadata = new MetadataCache([
    {
      name: TRANSACTION_STATE_TOPIC,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      partitions: [{ partition: 0, replicas: [COORDINATOR], leader: COORDINATOR, leaderEpoch: 0, isr: [COORDINATOR] }],
      configs: {},
    },
  ]);
  const link = coordinator as unknown as BrokerLink;
  return new TxnVerifier({
    localBrokerId: LOCAL,
    metadata,
    coordinator: {
      verifyPartitions: () => {
        throw new Error('the coordinator is another broker');
      },
    },
    transactionLog: { partitionCount: () => 1 },
    links: { get: async () => link, drop: () => {} },
    log: () => {},
  });
}

const producer = { producerId: 7n, producerEpoch: 0 };
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TxnVerifier', () => {
  it("puts the verifications asked for while the coordinator's request was out into its next request, one transaction each", async () => {
    const coordinator = new HeldCoordinator((id) => (id === 'c' ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE));
    const verifier = verifierFor(coordinator);
    const a = verifier.verify('a', producer, [{ topic: 't', partition: 0 }]);
    await settle();
    const b = verifier.verify('b', producer, [{ topic: 't', partition: 1 }]);
    const c = verifier.verify('c', producer, [{ topic: 't', partition: 2 }]);
    // A second Produce request of `b`'s, to another partition: it waits for the request after.
    const b2 = verifier.verify('b', producer, [{ topic: 'u', partition: 0 }]);
    await settle();
    expect(coordinator.idsPerRequest).toEqual([['a']]);
    coordinator.answer();
    await settle();
    expect(coordinator.idsPerRequest).toEqual([['a'], ['b', 'c']]);
    coordinator.answer();
    await settle();
    expect(coordinator.idsPerRequest).toEqual([['a'], ['b', 'c'], ['b']]);
    coordinator.answer();
    expect(Object.fromEntries(await a)).toEqual({ 't-0': 'NONE' });
    expect(Object.fromEntries(await b)).toEqual({ 't-1': 'NONE' });
    expect(Object.fromEntries(await c)).toEqual({ 't-2': 'INVALID_TXN_STATE' });
    expect(Object.fromEntries(await b2)).toEqual({ 'u-0': 'NONE' });
  });
});
