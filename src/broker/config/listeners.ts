import { hostname } from 'node:os';
import { ConfigError, invalidValue } from './config-error.js';

const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

/** A listener as configured: `host` is '' for "every interface" (Kafka's `PLAINTEXT://:9092`). */
export interface Endpoint {
  /** Upper-cased, as Kafka normalises listener names. */
  listenerName: string;
  securityProtocol: SecurityProtocol;
  host: string;
  /** 0: any free port, known once bound. */
  port: number;
}

const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::']);
// Kafka's CoreUtils listener pattern: NAME://host:port, an IPv6 host optionally in brackets.
const ENDPOINT = /^(.+):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?\d+)$/;

/** Reads listener.security.protocol.map (`NAME:PROTOCOL,...`). */
export function parseSecurityProtocolMap(text: string): ReadonlyMap<string, SecurityProtocol> {
  const map = new Map<string, SecurityProtocol>();
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const [name, protocol, extra] = entry.split(':').map((s) => s.trim());
    const bad = (why: string) => invalidValue('listener.security.protocol.map', text, why);
    if (!name || !protocol || extra !== undefined) throw bad(`map entry '${entry}' is not of the form NAME:PROTOCOL`);
    const upper = protocol.toUpperCase();
    if (!isSecurityProtocol(upper)) throw bad(`unknown security protocol ${protocol}, expected one of ${SECURITY_PROTOCOLS.join(', ')}`);
    map.set(name.toUpperCase(), upper);
  }
  return map;
}

/** Parses `listeners` or `advertised.listeners` (`key` names it in errors). Every listener needs a protocol in `protocols`. */
export function parseListeners(key: string, text: string, protocols: ReadonlyMap<string, SecurityProtocol>): Endpoint[] {
  const endpoints = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const match = ENDPOINT.exec(item);
      const port = match ? Number(match[3]) : -1;
      if (!match || port < 0 || port > 65_535) {
        throw invalidValue(key, text, `Unable to parse ${item} to a broker endpoint`);
      }
      const listenerName = match[1]!.toUpperCase();
      const protocol = protocols.get(listenerName);
      if (protocol === undefined) throw new ConfigError('invalid-value', `No security protocol defined for listener ${listenerName}`);
      return { listenerName, securityProtocol: protocol, host: match[2]!, port };
    });
  const names = endpoints.map((e) => e.listenerName);
  if (new Set(names).size !== names.length) {
    throw new ConfigError('invalid-value', `Each listener must have a different name, ${key}: ${text}`);
  }
  return endpoints;
}

/**
 * The listeners clients are told about: `advertised.listeners` if set (a subset of `listeners` by
 * name, never the meta-address 0.0.0.0), else `listeners` themselves.
 */
export function chooseAdvertised(listeners: readonly Endpoint[], advertised: readonly Endpoint[] | null): readonly Endpoint[] {
  if (advertised === null) return listeners;
  const known = new Set(listeners.map((e) => e.listenerName));
  if (advertised.some((e) => !known.has(e.listenerName))) {
    throw new ConfigError(
      'invalid-value',
      `advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. ` +
        `Found ${advertised.map((e) => e.listenerName).join(',')}. The valid options based on the current configuration are ${[...known].join(',')}`,
    );
  }
  if (advertised.some((e) => e.host === '0.0.0.0')) {
    throw new ConfigError(
      'invalid-value',
      'advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.',
    );
  }
  return advertised;
}

/**
 * Endpoints to publish once the listeners are bound: a wildcard host becomes this machine's name
 * (as Kafka advertises the canonical host name) and port 0 the port the listener got.
 */
export function resolveAdvertisedEndpoints(
  advertised: readonly Endpoint[],
  boundPorts: ReadonlyMap<string, number>,
  machineName: string = hostname(),
): Endpoint[] {
  return advertised.map((endpoint) => {
    const port = endpoint.port !== 0 ? endpoint.port : boundPorts.get(endpoint.listenerName);
    if (port === undefined) throw new Error(`listener ${endpoint.listenerName} has no bound port`);
    return { ...endpoint, host: WILDCARD_HOSTS.has(endpoint.host) ? machineName : endpoint.host, port };
  });
}

function isSecurityProtocol(text: string): text is SecurityProtocol {
  return (SECURITY_PROTOCOLS as readonly string[]).includes(text);
}
