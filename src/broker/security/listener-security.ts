import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { parseJaasConfig } from '../../client/jaas.js';
import type { SaslCredentials } from '../../client/sasl-authenticate.js';
import { sslOptions } from '../../client/ssl.js';
import { isScramMechanism } from '../../client/scram.js';
import { KtsError } from '../../util/errors.js';
import { BROKER_CONFIG_DEFS, type BrokerConfigName } from '../config/broker-config-defs.js';
import { type BrokerConfig, interBrokerListenerName } from '../config/broker-config.js';
import { ConfigError } from '../config/config-error.js';
import { type ConfigDef, parseConfigValue } from '../config/config-def.js';
import type { SecurityProtocol } from '../config/listeners.js';
import { SslPrincipalMapper } from './ssl-principal-mapper.js';

/** The SASL mechanisms kts serves. */
export const SERVED_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

export interface ListenerSasl {
  /** `sasl.enabled.mechanisms` of the listener, in the order the broker lists them. */
  readonly mechanisms: readonly string[];
  /** PLAIN's users and passwords: the `user_<name>` options of the listener's PlainLoginModule. */
  readonly plainUsers: ReadonlyMap<string, string>;
  /** `sasl.server.max.receive.size`: the largest request before authentication. */
  readonly maxReceiveSize: number;
  /** `connection.failed.authentication.delay.ms`. */
  readonly failedDelayMs: number;
  /** `connections.max.reauth.ms` of each mechanism (KIP-368): the session lifetime, 0 for sessions that never expire. */
  readonly maxReauthMs: ReadonlyMap<string, number>;
}

/** How one listener secures its connections. */
export interface ListenerSecurity {
  readonly listenerName: string;
  readonly protocol: SecurityProtocol;
  /** SSL and SASL_SSL: the TLS server's options (certificate, trusted authorities, client authentication). */
  readonly tls?: TlsOptions;
  /** SSL: turns a client certificate's name into a principal. */
  readonly principalMapper?: SslPrincipalMapper;
  /** SASL_PLAINTEXT and SASL_SSL. */
  readonly sasl?: ListenerSasl;
}

/**
 * A key's value for a listener, as Kafka's listener-prefixed configs: `listener.name.<listener>.<key>`
 * (listener name lower-cased) wins over `<key>`.
 */
export function listenerValue<K extends BrokerConfigName>(config: BrokerConfig, listenerName: string, key: K): BrokerConfig['values'][K] {
  const prefixed = `listener.name.${listenerName.toLowerCase()}.${key}`;
  const raw = config.layers.static.get(prefixed);
  if (raw === undefined) return config.values[key];
  return parseConfigValue(prefixed, BROKER_CONFIG_DEFS[key] as ConfigDef, raw) as BrokerConfig['values'][K];
}

/** The JAAS entry of a listener's mechanism: `listener.name.<l>.<mechanism>.sasl.jaas.config`, else `sasl.jaas.config`. */
function jaasText(config: BrokerConfig, listenerName: string, mechanism: string): string | null {
  return (
    config.layers.static.get(`listener.name.${listenerName.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config`) ??
    config.values['sasl.jaas.config']
  );
}

/** The listener's ssl.* settings as the client-side property names `sslOptions` reads. */
function sslProperties(config: BrokerConfig, listenerName: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const key of Object.keys(BROKER_CONFIG_DEFS) as BrokerConfigName[]) {
    if (!key.startsWith('ssl.')) continue;
    const value = listenerValue(config, listenerName, key);
    if (value !== null) props.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return props;
}

/** A store or key the broker cannot read is a configuration error: one line at start-up. */
function tlsMaterial(config: BrokerConfig, listenerName: string): SecureContextOptions {
  try {
    return sslOptions(sslProperties(config, listenerName));
  } catch (err) {
    if (err instanceof KtsError) throw new ConfigError('invalid-value', `Listener ${listenerName}: ${err.message.replace(/^Error: /, '')}`);
    throw err;
  }
}

function tlsServerOptions(config: BrokerConfig, listenerName: string): TlsOptions {
  const material = tlsMaterial(config, listenerName);
  if (material.cert === undefined && material.pfx === undefined) {
    throw new ConfigError(
      'invalid-value',
      `Listener ${listenerName} uses TLS but has no key store: set ssl.keystore.location (or listener.name.${listenerName.toLowerCase()}.ssl.keystore.location)`,
    );
  }
  const clientAuth = listenerValue(config, listenerName, 'ssl.client.auth');
  if (clientAuth !== 'none' && material.ca === undefined) {
    throw new ConfigError(
      'invalid-value',
      `Listener ${listenerName} has ssl.client.auth=${clientAuth} but no trust store to check client certificates: set ssl.truststore.location`,
    );
  }
  const protocols = listenerValue(config, listenerName, 'ssl.enabled.protocols');
  return {
    ...material,
    requestCert: clientAuth !== 'none',
    rejectUnauthorized: clientAuth === 'required',
    minVersion: protocols.includes('TLSv1.2') ? 'TLSv1.2' : 'TLSv1.3',
    maxVersion: protocols.includes('TLSv1.3') ? 'TLSv1.3' : 'TLSv1.2',
  };
}

function plainUsers(config: BrokerConfig, listenerName: string): Map<string, string> {
  const text = jaasText(config, listenerName, 'PLAIN');
  const key = `listener.name.${listenerName.toLowerCase()}.plain.sasl.jaas.config`;
  if (text === null) {
    throw new ConfigError(
      'invalid-value',
      `Listener ${listenerName} enables SASL mechanism PLAIN but has no JAAS configuration: set ${key}`,
    );
  }
  let entry: ReturnType<typeof parseJaasConfig>;
  try {
    entry = parseJaasConfig(text);
  } catch (err) {
    throw new ConfigError(
      'invalid-value',
      `Invalid value [hidden] for configuration ${key}: ${(err as Error).message.replace(/^Error: /, '')}`,
    );
  }
  const users = new Map<string, string>();
  for (const [option, value] of entry.options) if (option.startsWith('user_')) users.set(option.slice('user_'.length), value);
  return users;
}

/**
 * `connections.max.reauth.ms` of one mechanism on a listener, as Kafka's SaslChannelBuilder reads it:
 * `listener.name.<listener>.<mechanism>.connections.max.reauth.ms`, else the listener's or broker's value.
 */
function maxReauthMs(config: BrokerConfig, listenerName: string, mechanism: string): number {
  const key = 'connections.max.reauth.ms';
  const prefixed = `listener.name.${listenerName.toLowerCase()}.${mechanism.toLowerCase()}.${key}`;
  const raw = config.layers.static.get(prefixed);
  return raw === undefined
    ? listenerValue(config, listenerName, key)
    : (parseConfigValue(prefixed, BROKER_CONFIG_DEFS[key], raw) as number);
}

function saslSettings(config: BrokerConfig, listenerName: string): ListenerSasl {
  const mechanisms = listenerValue(config, listenerName, 'sasl.enabled.mechanisms');
  const unsupported = mechanisms.filter((m) => !(SERVED_MECHANISMS as readonly string[]).includes(m));
  if (unsupported.length > 0 || mechanisms.length === 0) {
    throw new ConfigError(
      'invalid-value',
      `Listener ${listenerName}: SASL mechanism${unsupported.length === 1 ? '' : 's'} ${unsupported.join(', ') || '(none)'} not supported: set sasl.enabled.mechanisms to some of ${SERVED_MECHANISMS.join(', ')}`,
    );
  }
  return {
    mechanisms,
    plainUsers: mechanisms.includes('PLAIN') ? plainUsers(config, listenerName) : new Map(),
    maxReceiveSize: listenerValue(config, listenerName, 'sasl.server.max.receive.size'),
    failedDelayMs: config.values['connection.failed.authentication.delay.ms'],
    maxReauthMs: new Map(mechanisms.map((m) => [m, maxReauthMs(config, listenerName, m)])),
  };
}

/** Every listener's security, checked at start-up: a missing key store or JAAS entry is one ConfigError line. */
export function listenerSecurity(config: BrokerConfig): Map<string, ListenerSecurity> {
  const out = new Map<string, ListenerSecurity>();
  for (const { listenerName, securityProtocol: protocol } of config.listeners) {
    const tls = protocol === 'SSL' || protocol === 'SASL_SSL' ? tlsServerOptions(config, listenerName) : undefined;
    const sasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL' ? saslSettings(config, listenerName) : undefined;
    const principalMapper =
      protocol === 'SSL' ? new SslPrincipalMapper(listenerValue(config, listenerName, 'ssl.principal.mapping.rules')) : undefined;
    out.set(listenerName, {
      listenerName,
      protocol,
      ...(tls && { tls }),
      ...(sasl && { sasl }),
      ...(principalMapper && { principalMapper }),
    });
  }
  return out;
}

/** How this broker connects to others: the inter-broker listener's protocol, with its TLS material and SASL login. */
export interface InterBrokerSecurity {
  tls?: SecureContextOptions;
  sasl?: SaslCredentials;
}

/**
 * The client side of the inter-broker listener, as Kafka's broker builds its channel builder for
 * it: the listener's ssl.* settings (trust store to check the other broker, key store for mutual
 * TLS), and for SASL `sasl.mechanism.inter.broker.protocol` with the username and password of
 * that mechanism's JAAS entry on the listener.
 */
export function interBrokerSecurity(config: BrokerConfig): InterBrokerSecurity {
  const listenerName = interBrokerListenerName(config);
  const protocol = config.advertisedListeners.find((e) => e.listenerName === listenerName)!.securityProtocol;
  const out: InterBrokerSecurity = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const material = tlsMaterial(config, listenerName);
    const algorithm = listenerValue(config, listenerName, 'ssl.endpoint.identification.algorithm');
    out.tls = { ...material, ...(algorithm === '' && { checkServerIdentity: () => undefined }) };
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = config.values['sasl.mechanism.inter.broker.protocol'];
    if (mechanism !== 'PLAIN' && !isScramMechanism(mechanism)) {
      throw new ConfigError(
        'invalid-value',
        `sasl.mechanism.inter.broker.protocol ${mechanism} is not supported: use ${SERVED_MECHANISMS.join(', ')} (the inter-broker listener ${listenerName} is ${protocol})`,
      );
    }
    const text = jaasText(config, listenerName, mechanism);
    const entry = text === null ? undefined : parseJaasConfig(text);
    const username = entry?.options.get('username');
    const password = entry?.options.get('password');
    if (username === undefined || password === undefined) {
      throw new ConfigError(
        'invalid-value',
        `The inter-broker listener ${listenerName} needs a username and password for ${mechanism}: set them in listener.name.${listenerName.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config`,
      );
    }
    out.sasl = { mechanism: mechanism.toLowerCase() as SaslCredentials['mechanism'], username, password } as SaslCredentials;
  }
  return out;
}
