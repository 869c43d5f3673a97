import { CLIENT_QUOTA_KEYS, isClientQuotaKey } from '../../protocol/client-quotas.js';

/** Java's Long.MAX_VALUE widened to a double, as Kafka compares it. */
const LONG_LIMIT = 2 ** 63;
/** How far from a whole number a LONG quota may be (Kafka's tolerance for doubles on the wire). */
const EPSILON = 1e-6;

/**
 * Kafka 3.9's ClientQuotaControlManager.validateQuotaKeyValue, in its words: a known key, a value
 * above 0, and a whole number within a long for the byte rates. NaN is refused as not above 0
 * (Kafka lets it through; no rate can be NaN).
 */
export function quotaValueError(key: string, value: number): string | undefined {
  const type = isClientQuotaKey(key) ? CLIENT_QUOTA_KEYS[key] : undefined;
  if (type === undefined) return `Invalid configuration key ${key}`;
  if (!(value > 0)) return `Quota ${key} must be greater than 0`;
  if (type === 'DOUBLE') return undefined;
  if (value > LONG_LIMIT) return `Proposed value for ${key} is too large for a LONG.`;
  if (Math.abs(value % 1) > EPSILON) return `${key} cannot be a fractional value.`;
  return undefined;
}
