import { CliError } from '../../cli/errors.js';

/** What `--time` asks for (GetOffsetShell.parseOffsetSpec). */
export type OffsetSpec =
  | { kind: 'latest' | 'earliest' | 'max-timestamp' | 'earliest-local' | 'latest-tiered' }
  | { kind: 'timestamp'; ms: number };

type Named = Exclude<OffsetSpec['kind'], 'timestamp'>;

const NAMES: readonly Named[] = ['latest', 'earliest', 'max-timestamp', 'earliest-local', 'latest-tiered'];

/** Kafka's ListOffsetsRequest sentinels: -1 latest, -2 earliest, -3 max-timestamp, ... */
const BY_NUMBER: Record<string, Named> = {
  '-1': 'latest',
  '-2': 'earliest',
  '-3': 'max-timestamp',
  '-4': 'earliest-local',
  '-5': 'latest-tiered',
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function parseOffsetSpec(text: string): OffsetSpec {
  const named = NAMES.find((n) => n === text);
  if (named !== undefined) return { kind: named };
  // Java's Long.parseLong: optional sign, decimal digits, int64 range.
  if (/^[+-]?\d+$/.test(text)) {
    const value = BigInt(text);
    if (value >= INT64_MIN && value <= INT64_MAX) {
      const sentinel = BY_NUMBER[value.toString()];
      return sentinel !== undefined ? { kind: sentinel } : { kind: 'timestamp', ms: Number(value) };
    }
  }
  throw new CliError(
    `Error occurred: Malformed time argument ${text}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / ` +
      '-4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp',
    2,
  );
}
