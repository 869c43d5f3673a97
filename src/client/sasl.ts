import { UsageError } from '../util/errors.js';
import { parseJaasConfig } from './jaas.js';
import type { ClientProperties } from './client-properties.js';
import type { SaslCredentials } from './sasl-authenticate.js';

export const SASL_KEYS = ['sasl.mechanism', 'sasl.jaas.config'] as const;

const MECHANISMS = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
} as const;

const LOGIN_MODULES = new Set([
  'org.apache.kafka.common.security.plain.PlainLoginModule',
  'org.apache.kafka.common.security.scram.ScramLoginModule',
]);

/** The SASL mechanism of `sasl.mechanism`, with the username/password of `sasl.jaas.config`. */
export function saslOptions(props: ClientProperties): SaslCredentials {
  // Kafka's default mechanism is GSSAPI (Kerberos), which kts cannot do.
  const name = (props.get('sasl.mechanism') || 'GSSAPI').toUpperCase();
  const mechanism = MECHANISMS[name as keyof typeof MECHANISMS];
  if (mechanism === undefined) {
    throw new UsageError(`Error: sasl.mechanism ${name} is not supported (use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)`);
  }
  const jaas = props.get('sasl.jaas.config');
  if (!jaas) throw new UsageError(`Error: sasl.mechanism ${name} needs sasl.jaas.config with a username and password`);
  const entry = parseJaasConfig(jaas);
  if (!LOGIN_MODULES.has(entry.loginModule)) {
    throw new UsageError(
      `Error: sasl.jaas.config login module ${entry.loginModule} is not supported (use PlainLoginModule or ScramLoginModule)`,
    );
  }
  const username = entry.options.get('username');
  const password = entry.options.get('password');
  if (username === undefined || password === undefined) {
    throw new UsageError('Error: sasl.jaas.config must set both username and password');
  }
  return { mechanism, username, password };
}
