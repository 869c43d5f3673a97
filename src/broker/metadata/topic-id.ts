import { randomBytes } from 'node:crypto';
import { uuidFromBytes, ZERO_UUID } from '../../protocol/primitives/uuid.js';

/** Kafka's reserved Uuid.METADATA_TOPIC_ID (the KRaft `__cluster_metadata` topic). */
const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

/** A new topic id as Kafka's Uuid.randomUuid makes one: never a reserved id, never starting with '-'. */
export function newTopicId(): string {
  for (;;) {
    const id = uuidFromBytes(randomBytes(16));
    if (id !== ZERO_UUID && id !== METADATA_TOPIC_ID && !id.startsWith('-')) return id;
  }
}
