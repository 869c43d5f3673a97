import { randomUUID } from 'node:crypto';

/** On-disk names, as Kafka's LogFileUtils and UnifiedLog spell them. */
export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
/** A segment's aborted transactions (Kafka's TransactionIndex); only segments with some have one. */
export const TXN_INDEX_SUFFIX = '.txnindex';
/** Producer state at an offset (Kafka's ProducerStateManager snapshot): `<offset>.snapshot`. */
export const PRODUCER_SNAPSHOT_SUFFIX = '.snapshot';
/** A segment file waiting for asynchronous removal. */
export const DELETED_SUFFIX = '.deleted';
/** A segment the log cleaner is still writing (Kafka's CleanedFileSuffix): discarded by recovery. */
export const CLEANED_SUFFIX = '.cleaned';
/** A finished cleaned segment about to replace the old ones (Kafka's SwapFileSuffix): recovery completes the swap. */
export const SWAP_SUFFIX = '.swap';
/** A partition directory waiting for asynchronous removal. */
export const DELETE_DIR_SUFFIX = '-delete';
/** A partition directory being filled by a move to another log dir (AlterReplicaLogDirs, KIP-113). */
export const FUTURE_DIR_SUFFIX = '-future';

export const RECOVERY_POINT_CHECKPOINT = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT = 'log-start-offset-checkpoint';
/** Per partition, the first offset the log cleaner has not cleaned yet. */
export const CLEANER_OFFSET_CHECKPOINT = 'cleaner-offset-checkpoint';
export const CLEAN_SHUTDOWN_MARKER = '.kafka_cleanshutdown';
export const META_PROPERTIES = 'meta.properties';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** The key a partition is known by in maps and checkpoints: its directory name. */
export function topicPartitionKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** Zero-padded to 20 digits so that `ls` sorts segments by offset. */
export function filenamePrefixFromOffset(offset: bigint): string {
  return offset.toString().padStart(20, '0');
}

const SEGMENT_FILE = /^(\d{20})(\.log|\.index|\.timeindex|\.txnindex)$/;

/** Base offset and suffix of a segment file name; undefined for any other file. */
export function parseSegmentFileName(name: string): { baseOffset: bigint; suffix: string } | undefined {
  const m = SEGMENT_FILE.exec(name);
  return m ? { baseOffset: BigInt(m[1]!), suffix: m[2]! } : undefined;
}

/** Kafka's legal topic names (Topic.validate): up to 249 of `[a-zA-Z0-9._-]`, but not `.` or `..`. */
const TOPIC = /^(?!\.\.?$)[a-zA-Z0-9._-]{1,249}$/;
const PARTITION_DIR = /^(.+)-(0|[1-9]\d{0,9})$/;

/** `<topic>-<partition>` → its parts; undefined for anything else (including `-delete` dirs). */
export function parseTopicPartitionDir(name: string): TopicPartition | undefined {
  const m = PARTITION_DIR.exec(name);
  if (!m || !TOPIC.test(m[1]!)) return undefined;
  const partition = Number(m[2]);
  return partition <= 0x7fffffff ? { topic: m[1]!, partition } : undefined;
}

/**
 * `<topic>-<partition>.<uuid>-delete`, with the topic cut so the name stays within 255 bytes, as
 * Kafka's UnifiedLog.logDeleteDirName does.
 */
export function deleteDirName(tp: TopicPartition): string {
  const suffix = `-${tp.partition}.${uniqueId()}${DELETE_DIR_SUFFIX}`;
  return tp.topic.slice(0, 255 - suffix.length) + suffix;
}

/** `<topic>-<partition>.<uuid>-future` (Kafka's UnifiedLog.logFutureDirName): never cut, so it may pass 255 bytes (the caller refuses that). */
export function futureDirName(tp: TopicPartition): string {
  return `${topicPartitionKey(tp)}.${uniqueId()}${FUTURE_DIR_SUFFIX}`;
}

const FUTURE_DIR = /^(.+)\.[0-9a-f]{32}-future$/;

/** The partition a `-future` directory belongs to; undefined for any other name. */
export function parseFutureDir(name: string): TopicPartition | undefined {
  const m = FUTURE_DIR.exec(name);
  return m ? parseTopicPartitionDir(m[1]!) : undefined;
}

function uniqueId(): string {
  return randomUUID().replaceAll('-', '');
}
