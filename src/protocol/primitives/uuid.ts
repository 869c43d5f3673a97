/**
 * UUIDs travel as 16 bytes; in memory we keep Kafka's own text form (`Uuid.toString()`: URL-safe
 * base64, no padding, 22 characters), which is what every Kafka tool prints as a topic id.
 */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

const UUID_TEXT = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/** True for the 22-character form of exactly 16 bytes (the last character carries 2 bits). */
export function isUuid(text: string): boolean {
  return UUID_TEXT.test(text);
}

/** Kafka's reserved Uuid.METADATA_TOPIC_ID (the KRaft `__cluster_metadata` topic). */
const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

/**
 * A new id as Kafka's Uuid.randomUuid makes topic and cluster ids: never a reserved id, never
 * starting with '-' (it would read as a command-line option).
 */
export function randomUuid(): string {
  for (;;) {
    // Web Crypto's global: node:crypto's module is loaded only by the code that needs more of it.
    const id = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    if (id !== ZERO_UUID && id !== METADATA_TOPIC_ID && !id.startsWith('-')) return id;
  }
}
