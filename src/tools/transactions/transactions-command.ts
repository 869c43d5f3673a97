import { ErrorCode } from '../../protocol/errors.js';
import { KtsError } from '../../util/errors.js';
import { AdminCallError, type ProducerState, type TopicPartitionRef, type TransactionsAdmin } from './transactions-admin.js';

/** A table as Kafka prints it (headers, then rows of strings), and the same data for --output json. */
export interface TransactionsTable {
  headers: readonly string[];
  rows: string[][];
  json: unknown;
}

const LIST_HEADERS = ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'];
const DESCRIBE_HEADERS = [
  'CoordinatorId',
  'TransactionalId',
  'ProducerId',
  'ProducerEpoch',
  'TransactionState',
  'TransactionTimeoutMs',
  'CurrentTransactionStartTimeMs',
  'TransactionDurationMs',
  'TopicPartitions',
];
const PRODUCERS_HEADERS = [
  'ProducerId',
  'ProducerEpoch',
  'LatestCoordinatorEpoch',
  'LastSequence',
  'LastTimestamp',
  'CurrentTransactionStartOffset',
];
const HANGING_HEADERS = [
  'Topic',
  'Partition',
  'ProducerId',
  'ProducerEpoch',
  'CoordinatorEpoch',
  'StartOffset',
  'LastTimestamp',
  'Duration(min)',
];

/** TransactionsCommand.printErrorAndExit(message, cause): the admin call's failure in one line. */
async function orFail<T>(message: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof AdminCallError)) throw err;
    throw new KtsError(`${message}: ${err.message}. Enable debug logging for additional detail.`);
  }
}

const tpText = (tp: TopicPartitionRef) => `${tp.topic}-${tp.partition}`;

export async function listTransactions(admin: TransactionsAdmin, durationFilterMs: bigint | undefined): Promise<TransactionsTable> {
  const listings = await orFail('Failed to list transactions', () =>
    admin.list(durationFilterMs === undefined ? {} : { durationMs: durationFilterMs }),
  );
  return {
    headers: LIST_HEADERS,
    rows: listings.map((l) => [l.transactionalId, String(l.coordinator), String(l.producerId), l.state]),
    json: listings.map((l) => ({ ...l, producerId: Number(l.producerId) })),
  };
}

export async function describeTransaction(admin: TransactionsAdmin, transactionalId: string, now: number): Promise<TransactionsTable> {
  const d = await orFail(`Failed to describe transaction state of transactional-id \`${transactionalId}\``, () =>
    admin.describe(transactionalId),
  );
  const start = d.transactionStartTimeMs;
  return {
    headers: DESCRIBE_HEADERS,
    rows: [
      [
        String(d.coordinatorId),
        transactionalId,
        String(d.producerId),
        String(d.producerEpoch),
        d.state,
        String(d.transactionTimeoutMs),
        start === undefined ? 'None' : String(start),
        start === undefined ? 'None' : String(BigInt(now) - start),
        d.topicPartitions.map(tpText).join(','),
      ],
    ],
    json: {
      ...d,
      producerId: Number(d.producerId),
      transactionStartTimeMs: start === undefined ? null : Number(start),
      transactionDurationMs: start === undefined ? null : now - Number(start),
    },
  };
}

export async function describeProducers(
  admin: TransactionsAdmin,
  tp: TopicPartitionRef,
  brokerId: number | undefined,
): Promise<TransactionsTable> {
  const where = brokerId === undefined ? 'leader' : `broker ${brokerId}`;
  const producers = await orFail(`Failed to describe producers for partition ${tpText(tp)} on ${where}`, () =>
    admin.describeProducers(tp, brokerId),
  );
  return {
    headers: PRODUCERS_HEADERS,
    rows: producers.map((p) => [
      String(p.producerId),
      String(p.producerEpoch),
      String(p.coordinatorEpoch),
      String(p.lastSequence),
      String(p.lastTimestamp),
      p.currentTxnStartOffset >= 0n ? String(p.currentTxnStartOffset) : 'None',
    ]),
    json: producers.map(producerJson),
  };
}

export type AbortTarget = { startOffset: bigint } | { producerId: bigint; producerEpoch: number; coordinatorEpoch: number };

/**
 * AbortTransactionCommand: by --start-offset the open transaction starting there is found with
 * DescribeProducers; else the producer id, epoch and coordinator epoch are given (a negative
 * coordinator epoch becomes 0, as Kafka's does). Prints nothing when done.
 */
export async function abortTransaction(admin: TransactionsAdmin, tp: TopicPartitionRef, target: AbortTarget): Promise<void> {
  let spec: { producerId: bigint; producerEpoch: number; coordinatorEpoch: number };
  if ('startOffset' in target) {
    const producers = await orFail(`Failed to validate producer state for partition ${tpText(tp)}`, () => admin.describeProducers(tp));
    const found = producers.find((p) => p.currentTxnStartOffset >= 0n && p.currentTxnStartOffset === target.startOffset);
    if (!found)
      throw new KtsError(`Could not find any open transactions starting at offset ${target.startOffset} on partition ${tpText(tp)}`);
    spec = { producerId: found.producerId, producerEpoch: found.producerEpoch, coordinatorEpoch: Math.max(found.coordinatorEpoch, 0) };
  } else {
    spec = { ...target, coordinatorEpoch: Math.max(target.coordinatorEpoch, 0) };
  }
  const described = `AbortTransactionSpec(topicPartition=${tpText(tp)}, producerId=${spec.producerId}, producerEpoch=${spec.producerEpoch}, coordinatorEpoch=${spec.coordinatorEpoch})`;
  await orFail(`Failed to abort transaction ${described}`, () => admin.abort({ topicPartition: tp, ...spec }));
}

/**
 * FindHangingTransactionsCommand: open transactions (DescribeProducers on every partition in
 * scope) idle longer than the largest transaction timeout, whose producer has no transactional
 * id any more, or whose coordinator no longer counts the partition in the transaction.
 */
export async function findHanging(
  admin: TransactionsAdmin,
  scope: { topic?: string; partition?: number; brokerId?: number },
  maxTransactionTimeoutMs: number,
  now: number,
): Promise<TransactionsTable> {
  const partitions =
    scope.topic !== undefined && scope.partition !== undefined
      ? [{ topic: scope.topic, partition: scope.partition }]
      : await orFail(scope.topic === undefined ? 'Failed to list topics' : 'Failed to describe 1 topics', () =>
          admin.partitions(scope.topic === undefined ? null : [scope.topic], scope.brokerId),
        );
  const open: { tp: TopicPartitionRef; state: ProducerState }[] = [];
  for (const tp of partitions) {
    const producers = await orFail(
      `Failed to describe producers for ${partitions.length} partitions on broker ${scope.brokerId === undefined ? 'Optional.empty' : `Optional[${scope.brokerId}]`}`,
      () => admin.describeProducers(tp, scope.brokerId),
    );
    for (const state of producers) {
      if (state.currentTxnStartOffset >= 0n && now - Number(state.lastTimestamp) > maxTransactionTimeoutMs) open.push({ tp, state });
    }
  }
  const hanging: typeof open = [];
  if (open.length > 0) {
    const producerIds = [...new Set(open.map((o) => o.state.producerId))];
    const listings = await orFail(`Failed to list transactions for ${producerIds.length} producers`, () => admin.list({ producerIds }));
    const idOf = new Map(listings.filter((l) => producerIds.includes(l.producerId)).map((l) => [l.producerId, l.transactionalId]));
    const partitionsOf = new Map<string, Set<string> | undefined>();
    for (const id of new Set(idOf.values())) {
      try {
        partitionsOf.set(id, new Set((await admin.describe(id)).topicPartitions.map(tpText)));
      } catch (err) {
        if (!(err instanceof AdminCallError)) throw err;
        if (err.errorCode !== ErrorCode.TRANSACTIONAL_ID_NOT_FOUND) {
          throw new KtsError(`Failed to describe ${idOf.size} transactions: ${err.message}. Enable debug logging for additional detail.`);
        }
        partitionsOf.set(id, undefined);
      }
    }
    for (const o of open) {
      const id = idOf.get(o.state.producerId);
      const inTransaction = id === undefined ? undefined : partitionsOf.get(id);
      if (!inTransaction?.has(tpText(o.tp))) hanging.push(o);
    }
  }
  return {
    headers: HANGING_HEADERS,
    rows: hanging.map(({ tp, state }) => [
      tp.topic,
      String(tp.partition),
      String(state.producerId),
      String(state.producerEpoch),
      String(state.coordinatorEpoch),
      String(state.currentTxnStartOffset),
      String(state.lastTimestamp),
      String(Math.floor((now - Number(state.lastTimestamp)) / 60_000)),
    ]),
    json: hanging.map(({ tp, state }) => ({
      ...tp,
      ...producerJson(state),
      durationMinutes: Math.floor((now - Number(state.lastTimestamp)) / 60_000),
    })),
  };
}

function producerJson(p: ProducerState) {
  return {
    producerId: Number(p.producerId),
    producerEpoch: p.producerEpoch,
    latestCoordinatorEpoch: p.coordinatorEpoch,
    lastSequence: p.lastSequence,
    lastTimestamp: Number(p.lastTimestamp),
    currentTransactionStartOffset: p.currentTxnStartOffset >= 0n ? Number(p.currentTxnStartOffset) : null,
  };
}
