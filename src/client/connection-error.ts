import { oneLine } from '../util/errors.js';
import { formatBrokers, type BrokerAddress } from './bootstrap.js';

const CODE_REASONS = new Map([
  ['ECONNREFUSED', 'connection refused'],
  ['ENOTFOUND', 'unknown host'],
  ['EAI_AGAIN', 'DNS lookup failed'],
  ['ETIMEDOUT', 'timed out'],
  ['ECONNRESET', 'connection reset'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENETUNREACH', 'network unreachable'],
]);

/**
 * `Error: could not connect to any broker at a:9092,b:9092 (connection refused)`; a single broker
 * that timed out is named with what timed out: `Error: ApiVersions request to a:9092 timed out
 * after 30000 ms (request.timeout.ms)`.
 */
export function describeConnectionError(err: unknown, brokers: readonly BrokerAddress[]): string {
  const timeout = causeChain(err).find(isTimeout);
  if (timeout !== undefined && brokers.length === 1) return `Error: ${timeout.message}`;
  return `Error: could not connect to any broker at ${formatBrokers(brokers)} (${reason(err)})`;
}

/** kts's own timeouts (raw-connection.ts), whose messages say what timed out, where, and which setting bounds it. */
export function isTimeout(err: { name: string }): boolean {
  return err.name === 'RequestTimeoutError' || err.name === 'ConnectTimeoutError';
}

function reason(err: unknown): string {
  const chain = causeChain(err);
  for (const e of chain) {
    if (isTimeout(e)) return e.message;
    const code = typeof e.code === 'string' ? e.code : '';
    const byCode = CODE_REASONS.get(code);
    if (byCode !== undefined) return byCode;
    if (isTlsCode(code)) return `TLS error: ${tlsDetail(e)}`;
  }
  const last = chain.at(-1);
  return oneLine(last ?? err);
}

interface ErrorLike {
  name: string;
  message: string;
  code?: unknown;
  cause?: unknown;
}

function causeChain(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let e = err; e instanceof Error && chain.length < 10 && !chain.includes(e); e = (e as ErrorLike).cause) {
    chain.push(e);
  }
  return chain;
}

function isTlsCode(code: string): boolean {
  return /^ERR_(SSL|TLS)_|CERT|SELF_SIGNED|^UNABLE_TO_/.test(code);
}

/** OpenSSL's `…:SSL routines:fn:wrong version number:file:line:` becomes `wrong version number`. */
function tlsDetail(err: ErrorLike): string {
  const text = oneLine(err);
  return /SSL routines:[^:]*:([^:]+)/.exec(text)?.[1] ?? text;
}
