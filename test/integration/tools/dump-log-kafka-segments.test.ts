/**
 * dump-log on segments Apache Kafka wrote. No Kafka runs here, so the segments are rebuilt from
 * kafka-dump-log.sh output that people published: every field of a batch and of its records is in
 * those lines (offsets, producer, sequence, flags, timestamps, keys and values — decoded for the
 * internal topics), and the batch's printed CRC-32C covers everything from its attributes to its
 * end. kts's own encoders rebuild each batch from the printed fields; its CRC equal to Kafka's
 * proves the bytes are the ones Kafka wrote, and so that kts writes `__consumer_offsets` records
 * (offset commits, and group metadata with the consumer protocol's subscriptions and assignments)
 * and `__transaction_state` records byte for byte as Kafka does. `kts dump-log`, run with the
 * options Kafka's command was run with, must then print Kafka's lines.
 *
 * Sources (the printed lines are used as data, verbatim):
 * - fvaleri/strimzi-debugging, sessions/010/README.md ("Running Transactional Applications", commit
 *   0edc117d): a Strimzi Kafka 3.9-era cluster, March 2025.
 * - A blog post, "Kafka集群QuickStart" (a Jekyll post found in the search index; its repository is
 *   not named there): Apache Kafka 3.9.2 in ZooKeeper mode, 2026. Its dumps have blank lines between
 *   batches and end at `| head`; the lines are Kafka's.
 * - ableasdale/kafka-transactions, README.md ("Transaction Log Decoder: Aborted Transactions", commit
 *   e1970cdc): Confluent Platform 7.3.3 (Apache Kafka 3.3), April 2023.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMetadataRecord, offsetCommitRecord } from '../../../src/broker/group/coordinator-records.js';
import { encodeAssignment, encodeSubscription } from '../../../src/client/consumer/group/consumer-protocol.js';
import type {
  GroupMetadataValue,
  GroupMetadataValueMemberMetadata,
} from '../../../src/protocol/generated/group-coordinator/group-metadata-value.js';
import { endTxnMarkerBatch } from '../../../src/protocol/records/control-record.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { transactionRecord, type StoredTransaction } from '../../../src/broker/transaction/transaction-log.js';
import type { TransactionStateName } from '../../../src/protocol/transaction-states.js';
import type { RecordInput } from '../../../src/protocol/records/record.js';
import { runKts } from '../../helpers/kts.js';

type Decoder = 'data' | 'offsets' | 'transactions';

interface KafkaDump {
  /** The partition directory the segment was in. */
  partition: string;
  /** How Kafka's command was run (besides --files). */
  options: string[];
  decoder: Decoder;
  /** Its stdout after the `Dumping <path>` line. */
  lines: string[];
}

const STRIMZI: KafkaDump[] = [
  {
    partition: 'output-topic-0',
    options: ['--deep-iteration', '--print-data-log'],
    decoder: 'data',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 0 lastSequence: 0 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1742739702864 size: 82 magic: 2 compresscodec: none crc: 758896000 isvalid: true',
      '| offset: 0 CreateTime: 1742739702864 keySize: -1 valueSize: 14 sequence: 0 headerKeys: [] payload: tset a si siht',
      'baseOffset: 1 lastOffset: 1 count: 1 baseSequence: -1 lastSequence: -1 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: 82 CreateTime: 1742739703234 size: 78 magic: 2 compresscodec: none crc: 2557578104 isvalid: true',
      '| offset: 1 CreateTime: 1742739703234 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 0',
    ],
  },
  {
    // Kafka's dump shows only offsets 7-8 of this segment (at positions 1974 and 2095): they are
    // written as a segment of their own, so their positions are 0 and 121 here — the only change.
    partition: '__consumer_offsets-12',
    options: ['--deep-iteration', '--print-data-log', '--offsets-decoder'],
    decoder: 'offsets',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 7 lastOffset: 7 count: 1 baseSequence: 0 lastSequence: 0 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 1974 CreateTime: 1742739703027 size: 121 magic: 2 compresscodec: none crc: 4292816145 isvalid: true',
      '| offset: 7 CreateTime: 1742739703027 keySize: 29 valueSize: 24 sequence: 0 headerKeys: [] key: {"type":"1","data":{"group":"my-group","topic":"input-topic","partition":0}} payload: {"version":"3","data":{"offset":1,"leaderEpoch":-1,"metadata":"","commitTimestamp":1742739702993}}',
      'baseOffset: 8 lastOffset: 8 count: 1 baseSequence: -1 lastSequence: -1 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: 2095 CreateTime: 1742739703213 size: 78 magic: 2 compresscodec: none crc: 1231080676 isvalid: true',
      '| offset: 8 CreateTime: 1742739703213 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 0',
    ].map((l) => l.replace('position: 1974 ', 'position: 0 ').replace('position: 2095 ', 'position: 121 ')),
  },
  {
    partition: '__transaction_state-30',
    options: ['--deep-iteration', '--print-data-log', '--transaction-log-decoder'],
    decoder: 'transactions',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1742739549438 size: 120 magic: 2 compresscodec: none crc: 3663501755 isvalid: true',
      '| offset: 0 CreateTime: 1742739549438 keySize: 15 valueSize: 37 sequence: -1 headerKeys: [] key: transaction_metadata::transactionalId=kafka-txn-0 payload: producerId:1,producerEpoch:0,state=Empty,partitions=[],txnLastUpdateTimestamp=1742739549435,txnTimeoutMs=60000',
      'baseOffset: 1 lastOffset: 1 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 120 CreateTime: 1742739702876 size: 143 magic: 2 compresscodec: none crc: 563111626 isvalid: true',
      '| offset: 1 CreateTime: 1742739702876 keySize: 15 valueSize: 59 sequence: -1 headerKeys: [] key: transaction_metadata::transactionalId=kafka-txn-0 payload: producerId:1,producerEpoch:0,state=Ongoing,partitions=[output-topic-0],txnLastUpdateTimestamp=1742739702876,txnTimeoutMs=60000',
      'baseOffset: 2 lastOffset: 2 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 263 CreateTime: 1742739702882 size: 172 magic: 2 compresscodec: none crc: 1296972565 isvalid: true',
      '| offset: 2 CreateTime: 1742739702882 keySize: 15 valueSize: 87 sequence: -1 headerKeys: [] key: transaction_metadata::transactionalId=kafka-txn-0 payload: producerId:1,producerEpoch:0,state=Ongoing,partitions=[output-topic-0,__consumer_offsets-12],txnLastUpdateTimestamp=1742739702882,txnTimeoutMs=60000',
      'baseOffset: 3 lastOffset: 3 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 435 CreateTime: 1742739703134 size: 172 magic: 2 compresscodec: none crc: 598474139 isvalid: true',
      '| offset: 3 CreateTime: 1742739703134 keySize: 15 valueSize: 87 sequence: -1 headerKeys: [] key: transaction_metadata::transactionalId=kafka-txn-0 payload: producerId:1,producerEpoch:0,state=PrepareCommit,partitions=[output-topic-0,__consumer_offsets-12],txnLastUpdateTimestamp=1742739703132,txnTimeoutMs=60000',
      'baseOffset: 4 lastOffset: 4 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 607 CreateTime: 1742739703240 size: 120 magic: 2 compresscodec: none crc: 4205821491 isvalid: true',
      '| offset: 4 CreateTime: 1742739703240 keySize: 15 valueSize: 37 sequence: -1 headerKeys: [] key: transaction_metadata::transactionalId=kafka-txn-0 payload: producerId:1,producerEpoch:0,state=CompleteCommit,partitions=[],txnLastUpdateTimestamp=1742739703142,txnTimeoutMs=60000',
    ],
  },
];

const ZK_392: KafkaDump[] = [
  {
    // Three idempotent batches: a producer's three records, then another producer's two batches.
    partition: 'test-0',
    options: ['--print-data-log'],
    decoder: 'data',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 2 count: 3 baseSequence: 0 lastSequence: 2 producerId: 0 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1785772164706 size: 85 magic: 2 compresscodec: none crc: 4143386110 isvalid: true',
      '| offset: 0 CreateTime: 1785772164675 keySize: -1 valueSize: 1 sequence: 0 headerKeys: [] payload: a',
      '| offset: 1 CreateTime: 1785772164705 keySize: -1 valueSize: 1 sequence: 1 headerKeys: [] payload: b',
      '| offset: 2 CreateTime: 1785772164706 keySize: -1 valueSize: 1 sequence: 2 headerKeys: [] payload: c',
      'baseOffset: 3 lastOffset: 3 count: 1 baseSequence: 0 lastSequence: 0 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 85 CreateTime: 1785772812310 size: 71 magic: 2 compresscodec: none crc: 4240895373 isvalid: true',
      '| offset: 3 CreateTime: 1785772812310 keySize: -1 valueSize: 3 sequence: 0 headerKeys: [] payload: ddd',
      'baseOffset: 4 lastOffset: 4 count: 1 baseSequence: 1 lastSequence: 1 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 156 CreateTime: 1785772817026 size: 72 magic: 2 compresscodec: none crc: 140768607 isvalid: true',
      '| offset: 4 CreateTime: 1785772817026 keySize: -1 valueSize: 4 sequence: 1 headerKeys: [] payload: facd',
    ],
  },
  {
    // A console consumer's group (its subscription and assignment decoded), then two offset
    // commits: Kafka 3.9 writes those with baseSequence 0 though no producer wrote them.
    partition: '__consumer_offsets-42',
    options: ['--offsets-decoder'],
    decoder: 'offsets',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1785773250466 size: 328 magic: 2 compresscodec: none crc: 4023593851 isvalid: true',
      '| offset: 0 CreateTime: 1785773250466 keySize: 11 valueSize: 247 sequence: -1 headerKeys: [] key: {"type":"2","data":{"group":"group01"}} payload: {"version":"3","data":{"protocolType":"consumer","generation":1,"protocol":"range","leader":"console-consumer-e33d37af-ded5-41c1-aeb3-05d12b5df4bf","currentStateTimestamp":1785773250437,"members":[{"memberId":"console-consumer-e33d37af-ded5-41c1-aeb3-05d12b5df4bf","groupInstanceId":null,"clientId":"console-consumer","clientHost":"/127.0.0.1","rebalanceTimeout":300000,"sessionTimeout":45000,"subscription":{"topics":["test"],"userData":null,"ownedPartitions":[],"generationId":-1,"rackId":null},"assignment":{"assignedPartitions":[{"topic":"test","partitions":[0,1]}],"userData":null}}]}}',
      'baseOffset: 1 lastOffset: 2 count: 2 baseSequence: 0 lastSequence: 1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 328 CreateTime: 1785773255530 size: 165 magic: 2 compresscodec: none crc: 641063234 isvalid: true',
      '| offset: 1 CreateTime: 1785773255530 keySize: 21 valueSize: 24 sequence: 0 headerKeys: [] key: {"type":"1","data":{"group":"group01","topic":"test","partition":0}} payload: {"version":"3","data":{"offset":5,"leaderEpoch":0,"metadata":"","commitTimestamp":1785773255526}}',
      '| offset: 2 CreateTime: 1785773255530 keySize: 21 valueSize: 24 sequence: 1 headerKeys: [] key: {"type":"1","data":{"group":"group01","topic":"test","partition":1}} payload: {"version":"3","data":{"offset":0,"leaderEpoch":-1,"metadata":"","commitTimestamp":1785773255526}}',
      'baseOffset: 3 lastOffset: 4 count: 2 baseSequence: 0 lastSequence: 1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 493 CreateTime: 1785773260522 size: 165 magic: 2 compresscodec: none crc: 2462831172 isvalid: true',
      '| offset: 3 CreateTime: 1785773260522 keySize: 21 valueSize: 24 sequence: 0 headerKeys: [] key: {"type":"1","data":{"group":"group01","topic":"test","partition":0}} payload: {"version":"3","data":{"offset":5,"leaderEpoch":0,"metadata":"","commitTimestamp":1785773260522}}',
      '| offset: 4 CreateTime: 1785773260522 keySize: 21 valueSize: 24 sequence: 1 headerKeys: [] key: {"type":"1","data":{"group":"group01","topic":"test","partition":1}} payload: {"version":"3","data":{"offset":0,"leaderEpoch":-1,"metadata":"","commitTimestamp":1785773260522}}',
    ],
  },
];

const CONFLUENT: KafkaDump[] = [
  {
    // A producer's batch of five records with their own timestamps, then its ABORT marker.
    partition: 'transaction-topic-0',
    options: ['--deep-iteration', '--print-data-log'],
    decoder: 'data',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 4 count: 5 baseSequence: 0 lastSequence: 4 producerId: 0 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1681914675249 size: 146 magic: 2 compresscodec: none crc: 2793359289 isvalid: true',
      '| offset: 0 CreateTime: 1681914675233 keySize: 1 valueSize: 9 sequence: 0 headerKeys: [] key: 0 payload: 634012095',
      '| offset: 1 CreateTime: 1681914675247 keySize: 1 valueSize: 9 sequence: 1 headerKeys: [] key: 1 payload: 113774401',
      '| offset: 2 CreateTime: 1681914675249 keySize: 1 valueSize: 9 sequence: 2 headerKeys: [] key: 2 payload: 872843037',
      '| offset: 3 CreateTime: 1681914675249 keySize: 1 valueSize: 9 sequence: 3 headerKeys: [] key: 3 payload: 820325428',
      '| offset: 4 CreateTime: 1681914675249 keySize: 1 valueSize: 9 sequence: 4 headerKeys: [] key: 4 payload: 827499884',
      'baseOffset: 5 lastOffset: 5 count: 1 baseSequence: -1 lastSequence: -1 producerId: 0 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: 146 CreateTime: 1681914675317 size: 78 magic: 2 compresscodec: none crc: 1108291434 isvalid: true',
      '| offset: 5 CreateTime: 1681914675317 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: ABORT coordinatorEpoch: 0',
    ],
  },
  {
    partition: '__transaction_state-0',
    options: ['--transaction-log-decoder'],
    decoder: 'transactions',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1681914675206 size: 114 magic: 2 compresscodec: none crc: 977448936 isvalid: true',
      '| offset: 0 CreateTime: 1681914675206 keySize: 9 valueSize: 37 sequence: -1 headerKeys: [] key: transaction_metadata::transactionalId=txn-2 payload: producerId:0,producerEpoch:0,state=Empty,partitions=[],txnLastUpdateTimestamp=1681914675203,txnTimeoutMs=30000',
      'baseOffset: 1 lastOffset: 1 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 114 CreateTime: 1681914675256 size: 143 magic: 2 compresscodec: none crc: 3609375034 isvalid: true',
      '| offset: 1 CreateTime: 1681914675256 keySize: 9 valueSize: 64 sequence: -1 headerKeys: [] key: transaction_metadata::transactionalId=txn-2 payload: producerId:0,producerEpoch:0,state=Ongoing,partitions=[transaction-topic-0],txnLastUpdateTimestamp=1681914675254,txnTimeoutMs=30000',
      'baseOffset: 2 lastOffset: 2 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 257 CreateTime: 1681914675300 size: 143 magic: 2 compresscodec: none crc: 3752133745 isvalid: true',
      '| offset: 2 CreateTime: 1681914675300 keySize: 9 valueSize: 64 sequence: -1 headerKeys: [] key: transaction_metadata::transactionalId=txn-2 payload: producerId:0,producerEpoch:0,state=PrepareAbort,partitions=[transaction-topic-0],txnLastUpdateTimestamp=1681914675298,txnTimeoutMs=30000',
      'baseOffset: 3 lastOffset: 3 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 400 CreateTime: 1681914675327 size: 114 magic: 2 compresscodec: none crc: 1474273819 isvalid: true',
      '| offset: 3 CreateTime: 1681914675327 keySize: 9 valueSize: 37 sequence: -1 headerKeys: [] key: transaction_metadata::transactionalId=txn-2 payload: producerId:0,producerEpoch:0,state=CompleteAbort,partitions=[],txnLastUpdateTimestamp=1681914675304,txnTimeoutMs=30000',
    ],
  },
];

const BATCH_LINE =
  /^baseOffset: (\d+) lastOffset: \d+ count: \d+ baseSequence: (-?\d+) lastSequence: -?\d+ producerId: (-?\d+) producerEpoch: (-?\d+) partitionLeaderEpoch: (\d+) isTransactional: (true|false) isControl: (true|false) .* crc: (\d+) isvalid: true$/;
const RECORD_LINE = /^\| offset: \d+ CreateTime: (\d+) keySize: (-?\d+) valueSize: -?\d+ sequence: -?\d+ headerKeys: \[\] (.*)$/;
const MARKER = /^endTxnMarker: (COMMIT|ABORT) coordinatorEpoch: (\d+)$/;
const TXN_KEY = /^key: transaction_metadata::transactionalId=(.*) payload: (.*)$/;
const TXN_VALUE = /^producerId:(\d+),producerEpoch:(\d+),state=(\w+),partitions=\[(.*)\],txnLastUpdateTimestamp=(\d+),txnTimeoutMs=(\d+)$/;

/** A batch rebuilt with kts's encoders, and the CRC Kafka printed for it. */
interface Rebuilt {
  bytes: Buffer;
  kafkaCrc: number;
}

/** Each batch line with its record lines, as kts's encoders write them. */
function rebuild(dump: KafkaDump): Rebuilt[] {
  const batches: Rebuilt[] = [];
  const txnStart = new Map<string, number>();
  for (let i = 0; i < dump.lines.length; i++) {
    const b = BATCH_LINE.exec(dump.lines[i]!);
    if (b === null) continue;
    const records: RecordInput[] = [];
    let marker: { commit: boolean; coordinatorEpoch: number; timestamp: bigint } | undefined;
    for (let r = RECORD_LINE.exec(dump.lines[i + 1] ?? ''); r !== null; r = RECORD_LINE.exec(dump.lines[i + 1] ?? '')) {
      i++;
      const timestamp = BigInt(r[1]!);
      const m = MARKER.exec(r[3]!);
      if (m !== null) marker = { commit: m[1] === 'COMMIT', coordinatorEpoch: Number(m[2]), timestamp };
      else records.push({ ...recordOf(dump.decoder, r[3]!, Number(r[2]), txnStart), timestamp });
    }
    const producer = { producerId: BigInt(b[3]!), producerEpoch: Number(b[4]) };
    const placed = { baseOffset: BigInt(b[1]!), partitionLeaderEpoch: Number(b[5]) };
    const bytes =
      b[7] === 'true'
        ? encodeBatch({ ...endTxnMarkerBatch({ ...producer, ...marker!, timestamp: marker!.timestamp }), ...placed })
        : encodeBatch({ records, ...producer, ...placed, baseSequence: Number(b[2]), transactional: b[6] === 'true' });
    batches.push({ bytes, kafkaCrc: Number(b[8]) });
  }
  return batches;
}

/** A record's key and value from what Kafka printed of them. */
function recordOf(decoder: Decoder, printed: string, keySize: number, txnStart: Map<string, number>): RecordInput {
  switch (decoder) {
    case 'data': {
      const [, key, value] = /^(?:key: (.*) )?payload: (.*)$/.exec(printed)!;
      if ((key === undefined) !== (keySize === -1)) throw new Error(`cannot tell the key of: ${printed}`);
      return { key: key === undefined ? null : Buffer.from(key), value: Buffer.from(value!) };
    }
    case 'offsets': {
      const [, key, value] = /^key: (\{.*\}) payload: (\{.*\})$/.exec(printed)!;
      const k = JSON.parse(key!) as { type: string; data: { group: string; topic: string; partition: number } };
      const v = JSON.parse(value!) as { data: Record<string, unknown> };
      if (k.type === '2') return groupMetadataRecord(k.data.group, groupOf(v.data as unknown as PrintedGroup));
      if (k.type !== '1') throw new Error(`neither an offset commit nor a group: ${printed}`);
      const c = v.data as { offset: number; leaderEpoch: number; metadata: string; commitTimestamp: number };
      return offsetCommitRecord(k.data.group, k.data.topic, k.data.partition, {
        offset: BigInt(c.offset),
        leaderEpoch: c.leaderEpoch,
        metadata: c.metadata,
        commitTimestamp: c.commitTimestamp,
        expireTimestamp: -1,
      });
    }
    case 'transactions': {
      const [, id, value] = TXN_KEY.exec(printed)!;
      const [, producerId, producerEpoch, state, partitions, lastUpdate, timeout] = TXN_VALUE.exec(value!)!;
      const updated = Number(lastUpdate);
      // txnStartTimestamp, the one field Kafka does not print: -1 while Empty, set when a
      // transaction adds its first partition and kept through its completion (TransactionMetadata).
      const previous = txnStart.get(id!) ?? -1;
      const start = state === 'Empty' ? -1 : state === 'Ongoing' && previous < 0 ? updated : previous;
      txnStart.set(id!, state!.startsWith('Complete') ? -1 : start);
      const stored: StoredTransaction = {
        producerId: BigInt(producerId!),
        producerEpoch: Number(producerEpoch),
        txnTimeoutMs: Number(timeout),
        state: state as TransactionStateName,
        partitions:
          partitions === ''
            ? []
            : partitions!
                .split(',')
                .map((tp) => ({ topic: tp.slice(0, tp.lastIndexOf('-')), partition: Number(tp.slice(tp.lastIndexOf('-') + 1)) })),
        txnLastUpdateTimestamp: updated,
        txnStartTimestamp: start,
      };
      return transactionRecord(id!, stored);
    }
  }
}

/** GroupMetadataValue as --offsets-decoder prints it: member subscriptions and assignments decoded. */
interface PrintedGroup extends Omit<GroupMetadataValue, 'currentStateTimestamp' | 'members'> {
  currentStateTimestamp: number;
  members: Array<
    Omit<GroupMetadataValueMemberMetadata, 'subscription' | 'assignment'> & {
      subscription: { topics: string[]; userData: null; ownedPartitions: []; generationId: number; rackId: null };
      assignment: { assignedPartitions: Array<{ topic: string; partitions: number[] }>; userData: null };
    }
  >;
}

/** The group as the coordinator stores it; the members' protocol bytes as a Java consumer (and kts's) writes them. */
function groupOf(g: PrintedGroup): GroupMetadataValue {
  return {
    ...g,
    currentStateTimestamp: BigInt(g.currentStateTimestamp),
    members: g.members.map((m) => {
      const { subscription: s, assignment: a } = m;
      if (s.userData !== null || s.ownedPartitions.length > 0 || s.rackId !== null || a.userData !== null) {
        throw new Error(`a subscription kts's consumer does not write: ${JSON.stringify(m)}`);
      }
      return {
        ...m,
        subscription: encodeSubscription(s.topics, s.generationId),
        assignment: encodeAssignment(
          a.assignedPartitions.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition }))),
        ),
      };
    }),
  };
}

describe('dump-log on segments Apache Kafka wrote (rebuilt from published kafka-dump-log.sh output)', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'kts-dump-log-kafka-'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  for (const [source, title, dumps] of [
    ['strimzi', 'Strimzi, Kafka 3.9 era (fvaleri/strimzi-debugging)', STRIMZI],
    ['zookeeper', 'Kafka 3.9.2 in ZooKeeper mode ("Kafka集群QuickStart")', ZK_392],
    ['confluent', 'Confluent Platform 7.3.3, Kafka 3.3 (ableasdale/kafka-transactions)', CONFLUENT],
  ] as const) {
    for (const dump of dumps) {
      it(`${title}: ${dump.partition} (${dump.options.join(' ')})`, async () => {
        const batches = rebuild(dump);
        expect(batches).toHaveLength(dump.lines.filter((l) => l.startsWith('baseOffset: ')).length);
        // (a) kts's bytes are Kafka's: the CRC over everything but the offset, length, leader epoch and magic.
        expect(batches.map((b) => b.bytes.readUInt32BE(17))).toEqual(batches.map((b) => b.kafkaCrc));

        const dir = join(work, source, dump.partition);
        await mkdir(dir, { recursive: true });
        const segment = join(dir, '00000000000000000000.log');
        await writeFile(segment, Buffer.concat(batches.map((b) => b.bytes)));
        // (b) kts prints Kafka's lines for them.
        const r = await runKts(['dump-log', ...dump.options, '--files', segment], { timeoutMs: 30_000 });
        expect(r).toMatchObject({ code: 0, stderr: '' });
        expect(r.stdout.split('\n')).toEqual([`Dumping ${segment}`, ...dump.lines, '']);
      });
    }
  }
});
