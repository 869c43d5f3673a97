/**
 * `__transaction_state` (Kafka's TransactionLog): one record per transactional id and change, key
 * = int16 version 0 + the id, value = int16 version + TransactionLogValue (v0, as Kafka 3.9
 * writes; v0-1 read), null = the id expired. The last record of a key wins.
 */
import {
  decodeTransactionLogKey,
  encodeTransactionLogKey,
  TRANSACTION_LOG_KEY_VERSIONS,
} from '../../protocol/generated/transaction-coordinator/transaction-log-key.js';
import {
  decodeTransactionLogValue,
  encodeTransactionLogValue,
  TRANSACTION_LOG_VALUE_VERSIONS,
} from '../../protocol/generated/transaction-coordinator/transaction-log-value.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { Writer } from '../../protocol/primitives/writer.js';
import { TRANSACTION_STATES, type TransactionStateName, transactionStateId } from '../../protocol/transaction-states.js';
import type { NewTopic } from '../admin/topic-admin.js';
import type { BrokerConfigValues } from '../config/broker-config-defs.js';
import type { CoordinatorRecord } from '../group/coordinator-records.js';
import type { TopicPartition } from '../log/log-file-names.js';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';

/** The topic as Kafka creates it (TransactionStateManager.transactionTopicConfigs). */
export function transactionStateTopic(config: BrokerConfigValues): NewTopic {
  return {
    name: TRANSACTION_STATE_TOPIC,
    numPartitions: config['transaction.state.log.num.partitions'],
    replicationFactor: config['transaction.state.log.replication.factor'],
    assignments: [],
    configs: [
      ['cleanup.policy', 'compact'],
      ['compression.type', 'uncompressed'],
      ['unclean.leader.election.enable', 'false'],
      ['min.insync.replicas', String(config['transaction.state.log.min.isr'])],
      ['segment.bytes', String(config['transaction.state.log.segment.bytes'])],
    ],
  };
}

/** What `__transaction_state` keeps of a transactional id. */
export interface StoredTransaction {
  producerId: bigint;
  producerEpoch: number;
  txnTimeoutMs: number;
  state: TransactionStateName;
  partitions: readonly TopicPartition[];
  txnLastUpdateTimestamp: number;
  /** -1: no transaction started. */
  txnStartTimestamp: number;
}

const KEY_VERSION = 0;
const VALUE_VERSION = 0;

function transactionKey(transactionalId: string): Buffer {
  const w = new Writer(32);
  w.int16(KEY_VERSION);
  encodeTransactionLogKey(w, { transactionalId }, KEY_VERSION);
  return w.toBuffer();
}

export function transactionRecord(transactionalId: string, t: StoredTransaction | null): CoordinatorRecord {
  if (t === null) return { key: transactionKey(transactionalId), value: null };
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of t.partitions) {
    const list = byTopic.get(topic);
    if (list) list.push(partition);
    else byTopic.set(topic, [partition]);
  }
  const w = new Writer(64);
  w.int16(VALUE_VERSION);
  encodeTransactionLogValue(
    w,
    {
      producerId: t.producerId,
      producerEpoch: t.producerEpoch,
      transactionTimeoutMs: t.txnTimeoutMs,
      transactionStatus: transactionStateId(t.state),
      // Kafka writes null partitions for Empty.
      transactionPartitions: t.state === 'Empty' ? null : [...byTopic].map(([topic, partitionIds]) => ({ topic, partitionIds })),
      transactionLastUpdateTimestampMs: BigInt(t.txnLastUpdateTimestamp),
      transactionStartTimestampMs: BigInt(t.txnStartTimestamp),
    },
    VALUE_VERSION,
  );
  return { key: transactionKey(transactionalId), value: w.toBuffer() };
}

/** A record read back: the id and its transaction (null: a tombstone); throws on a version or state it does not know. */
export function decodeTransactionRecord(record: CoordinatorRecord): { transactionalId: string; value: StoredTransaction | null } {
  const keyReader = new Reader(record.key);
  const keyVersion = keyReader.int16();
  if (keyVersion > TRANSACTION_LOG_KEY_VERSIONS.hi) throw new Error(`Unknown version ${keyVersion} of a transaction log key`);
  const { transactionalId } = decodeTransactionLogKey(keyReader, keyVersion);
  if (record.value === null) return { transactionalId, value: null };
  const r = new Reader(record.value);
  const version = r.int16();
  if (version < TRANSACTION_LOG_VALUE_VERSIONS.lo || version > TRANSACTION_LOG_VALUE_VERSIONS.hi) {
    throw new Error(`Unknown version ${version} from the transaction log message value`);
  }
  const v = decodeTransactionLogValue(r, version);
  const state = TRANSACTION_STATES[v.transactionStatus];
  if (state === undefined) throw new Error(`Unknown transaction state id ${v.transactionStatus} from the transaction status message`);
  return {
    transactionalId,
    value: {
      producerId: v.producerId,
      producerEpoch: v.producerEpoch,
      txnTimeoutMs: v.transactionTimeoutMs,
      state,
      partitions: (v.transactionPartitions ?? []).flatMap((t) => t.partitionIds.map((partition) => ({ topic: t.topic, partition }))),
      txnLastUpdateTimestamp: Number(v.transactionLastUpdateTimestampMs),
      txnStartTimestamp: Number(v.transactionStartTimestampMs),
    },
  };
}
