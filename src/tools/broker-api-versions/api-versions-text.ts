import { apiInfo } from '../../protocol/api-keys.js';
import { API_INFO } from '../../protocol/generated/api-info.js';

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** One API as kafka-broker-api-versions judges it against the versions kts speaks. */
export interface ApiVersionEntry {
  apiKey: number;
  /** Kafka's name, or UNKNOWN for a key kts does not know. */
  name: string;
  /** null: the broker does not list it. */
  broker: VersionRange | null;
  /** The version kts would use; null when the ranges do not meet or kts does not know the API. */
  usable: number | null;
  unusable: 'node too new' | 'node too old' | null;
}

/**
 * Every API the broker lists plus every client API it does not (UNSUPPORTED), by key, as Kafka's
 * NodeApiVersions judges them.
 */
export function apiVersionEntries(versions: ReadonlyMap<number, VersionRange>): ApiVersionEntry[] {
  const keys = new Set(versions.keys());
  for (const api of Object.values(API_INFO)) if (api.listeners.some((l) => l === 'zkBroker' || l === 'broker')) keys.add(api.apiKey);
  return [...keys]
    .sort((a, b) => a - b)
    .map((apiKey) => {
      const ours = apiInfo(apiKey);
      const broker = versions.get(apiKey) ?? null;
      const entry = { apiKey, name: ours?.name ?? 'UNKNOWN', broker, usable: null, unusable: null };
      if (ours === undefined || broker === null) return entry;
      if (ours.maxVersion < broker.min) return { ...entry, unusable: 'node too new' as const };
      if (broker.max < ours.minVersion) return { ...entry, unusable: 'node too old' as const };
      return { ...entry, usable: Math.min(ours.maxVersion, broker.max) };
    });
}

/** Kafka's NodeApiVersions.toString(true): `(`, one tab-indented API a line, `)`. */
export function apiVersionsText(entries: readonly ApiVersionEntry[]): string {
  return `(\n\t${entries.map(entryText).join(',\n\t')}\n)`;
}

function entryText(e: ApiVersionEntry): string {
  const head = `${e.name}(${e.apiKey}): `;
  if (e.broker === null) return `${head}UNSUPPORTED`;
  const range = e.broker.min === e.broker.max ? `${e.broker.min}` : `${e.broker.min} to ${e.broker.max}`;
  if (e.name === 'UNKNOWN') return head + range;
  return `${head}${range} ${e.usable === null ? `[unusable: ${e.unusable}]` : `[usable: ${e.usable}]`}`;
}
