import {
  decodeConsumerProtocolAssignment,
  encodeConsumerProtocolAssignment,
} from '../../../protocol/generated/data/consumer-protocol-assignment.js';
import {
  decodeConsumerProtocolSubscription,
  encodeConsumerProtocolSubscription,
} from '../../../protocol/generated/data/consumer-protocol-subscription.js';
import { ProtocolError } from '../../../protocol/primitives/protocol-error.js';
import { Reader } from '../../../protocol/primitives/reader.js';
import { Writer } from '../../../protocol/primitives/writer.js';
import type { TopicPartition } from '../partition-fetcher.js';

/** The protocol type of consumer groups in JoinGroup. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/**
 * The newest ConsumerProtocolSubscription/Assignment versions (Kafka 3.9). Each version only adds
 * fields at the end, so newer data is read as this version (Java's ConsumerProtocol does the same).
 */
const SUBSCRIPTION_VERSION = 3;
const ASSIGNMENT_VERSION = 3;

/** A member's JoinGroup metadata: an int16 version, then ConsumerProtocolSubscription. */
export function encodeSubscription(topics: readonly string[], generationId: number): Buffer {
  const w = new Writer();
  w.int16(SUBSCRIPTION_VERSION);
  encodeConsumerProtocolSubscription(
    w,
    { topics: [...topics], userData: null, ownedPartitions: [], generationId, rackId: null },
    SUBSCRIPTION_VERSION,
  );
  return w.toBuffer();
}

/** The topics a member subscribes to; null for metadata that is not a consumer subscription. */
export function decodeSubscription(metadata: Buffer): string[] | null {
  try {
    const r = new Reader(metadata);
    const version = r.int16();
    if (version < 0) return null;
    return decodeConsumerProtocolSubscription(r, Math.min(version, SUBSCRIPTION_VERSION)).topics;
  } catch (err) {
    if (err instanceof ProtocolError) return null;
    throw err;
  }
}

export function encodeAssignment(partitions: readonly TopicPartition[]): Buffer {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = byTopic.get(topic);
    if (list === undefined) byTopic.set(topic, [partition]);
    else list.push(partition);
  }
  const w = new Writer();
  w.int16(ASSIGNMENT_VERSION);
  encodeConsumerProtocolAssignment(
    w,
    { assignedPartitions: [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps })), userData: null },
    ASSIGNMENT_VERSION,
  );
  return w.toBuffer();
}

/** The partitions SyncGroup handed this member; an empty buffer is an empty assignment. */
export function decodeAssignment(bytes: Buffer): TopicPartition[] {
  if (bytes.length === 0) return [];
  const r = new Reader(bytes);
  const version = r.int16();
  if (version < 0) throw new ProtocolError('INVALID_VALUE', `invalid assignment version ${version}`);
  const { assignedPartitions } = decodeConsumerProtocolAssignment(r, Math.min(version, ASSIGNMENT_VERSION));
  return assignedPartitions.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition })));
}
