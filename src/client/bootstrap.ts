import { isIPv6 as nodeIsIPv6 } from 'node:net';
import { UsageError } from '../util/errors.js';

export interface BrokerAddress {
  host: string;
  port: number;
}

export const DEFAULT_BOOTSTRAP_SERVER = 'localhost:9092';
export const BOOTSTRAP_ENV = 'KTS_BOOTSTRAP_SERVER';
const DEFAULT_PORT = 9092;

/**
 * Commas (ASCII or full-width, U+FF0C) and whitespace both separate entries, as people write lists
 * in notes. Escaped: one non-ASCII character makes every command bundle a two-byte string, which
 * Node reads several ms slower at each start.
 */
const SEPARATORS = /[\s,\uFF0C]+/u;
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_])?$/;
/** A listener-style prefix such as `PLAINTEXT://`, pasted from broker configs. */
const SCHEME = /^[A-Za-z_]+:\/\//;

/**
 * Parses a `--bootstrap-server` list; without one, `$KTS_BOOTSTRAP_SERVER` or `localhost:9092`.
 * Duplicates are dropped, first occurrence kept.
 */
export function parseBootstrapServers(value: string | undefined, env: NodeJS.ProcessEnv = process.env): BrokerAddress[] {
  const raw = value ?? (env[BOOTSTRAP_ENV]?.trim() || DEFAULT_BOOTSTRAP_SERVER);
  const entries = unwrap(raw.trim())
    .split(SEPARATORS)
    .filter((e) => e !== '');
  if (entries.length === 0) throw new UsageError('Error: no bootstrap server given (expected host:port[,host:port...])');
  const seen = new Set<string>();
  const out: BrokerAddress[] = [];
  for (const entry of entries) {
    const address = parseEntry(entry);
    const key = formatBroker(address);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(address);
  }
  return out;
}

/** The brokers a tool starts from: `--bootstrap-server`, else `bootstrap.servers` from the client properties. */
export function bootstrapBrokers(options: { bootstrapServer?: string; properties?: ReadonlyMap<string, string> }): BrokerAddress[] {
  return parseBootstrapServers(options.bootstrapServer ?? (options.properties?.get('bootstrap.servers') || undefined));
}

/**
 * Node's isIPv6 compiles a large regular expression on first use (~25 ms of a tool's start-up);
 * only text with a colon can be an IPv6 address, so the rest never gets there.
 */
export function isIPv6(host: string): boolean {
  return host.includes(':') && nodeIsIPv6(host);
}

/** `host:port`, with IPv6 hosts in brackets: the form Kafka prints and accepts. */
export function formatBroker({ host, port }: BrokerAddress): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatBrokers(brokers: readonly BrokerAddress[]): string {
  return brokers.map(formatBroker).join(',');
}

function parseEntry(entry: string): BrokerAddress {
  const text = unwrap(entry).replace(SCHEME, '');
  const fail = (why: string): never => {
    throw new UsageError(`Error: invalid bootstrap server '${entry}': ${why}`);
  };
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) fail("unclosed '['");
    host = text.slice(1, close);
    if (!isIPv6(host)) fail('brackets are only for IPv6 addresses');
    const rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) fail('expected host:port');
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const colons = text.split(':').length - 1;
    if (colons > 1) fail('put IPv6 addresses in brackets, e.g. [::1]:9092');
    [host, portText] = colons === 1 ? (text.split(':') as [string, string]) : [text, undefined];
    if (host === '') fail('missing host');
    if (!HOST_NAME.test(host)) fail('not a valid host name');
  }
  return { host, port: portText === undefined ? DEFAULT_PORT : parsePort(portText, fail) };
}

function parsePort(text: string, fail: (why: string) => never): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) fail(text === '' ? 'missing port' : `port must be 1-65535, not '${text}'`);
  return port;
}

/** Drops surrounding `【…】` or `[…]`, unless the brackets are those of an IPv6 literal like `[::1]`. */
function unwrap(text: string): string {
  if (wrappedIn(text, '【', '】')) return text.slice(1, -1).trim();
  if (wrappedIn(text, '[', ']') && !isIPv6(text.slice(1, -1))) return text.slice(1, -1).trim();
  return text;
}

/** True when the bracket opening `text` is the one closing it, as in `[a,[::1]]` but not `[::1],[::2]`. */
function wrappedIn(text: string, open: string, close: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === open) depth++;
    else if (text[i] === close && --depth === 0) return i === text.length - 1 && text[0] === open;
  }
  return false;
}
