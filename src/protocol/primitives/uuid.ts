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

export function uuidFromBytes(bytes: Buffer): string {
  return bytes.toString('base64url');
}
