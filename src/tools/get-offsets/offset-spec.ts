import { UsageError } from '../../util/errors.js';
import {
  EARLIEST_LOCAL_TIMESTAMP,
  EARLIEST_TIMESTAMP,
  LATEST_TIERED_TIMESTAMP,
  LATEST_TIMESTAMP,
  MAX_TIMESTAMP,
} from '../../client/consumer/list-offsets.js';

/** What `--time` asks for (GetOffsetShell.parseOffsetSpec). */
export type OffsetSpec =
  | { kind: 'latest' | 'earliest' | 'max-timestamp' | 'earliest-local' | 'latest-tiered' }
  | { kind: 'timestamp'; ms: bigint };

type Named = Exclude<OffsetSpec['kind'], 'timestamp'>;

/** Each name's ListOffsets timestamp; `--time` accepts either. */
const SENTINELS: Readonly<Record<Named, bigint>> = {
  latest: LATEST_TIMESTAMP,
  earliest: EARLIEST_TIMESTAMP,
  'max-timestamp': MAX_TIMESTAMP,
  'earliest-local': EARLIEST_LOCAL_TIMESTAMP,
  'latest-tiered': LATEST_TIERED_TIMESTAMP,
};

const NAMES = Object.keys(SENTINELS) as Named[];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function parseOffsetSpec(text: string): OffsetSpec {
  const named = NAMES.find((n) => n === text);
  if (named !== undefined) return { kind: named };
  // Java's Long.parseLong: optional sign, decimal digits, int64 range.
  if (/^[+-]?\d+$/.test(text)) {
    const value = BigInt(text);
    if (value >= INT64_MIN && value <= INT64_MAX) {
      const sentinel = NAMES.find((n) => SENTINELS[n] === value);
      return sentinel !== undefined ? { kind: sentinel } : { kind: 'timestamp', ms: value };
    }
  }
  throw new UsageError(
    `Error occurred: Malformed time argument ${text}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / ` +
      '-4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp',
  );
}

/** The timestamp ListOffsets carries for `spec`. */
export function listOffsetsTimestamp(spec: OffsetSpec): bigint {
  return spec.kind === 'timestamp' ? spec.ms : SENTINELS[spec.kind];
}

/** `--time` as the user meant it, for messages: the name, or the timestamp. */
export function describeOffsetSpec(spec: OffsetSpec): string {
  return spec.kind === 'timestamp' ? spec.ms.toString() : spec.kind;
}
