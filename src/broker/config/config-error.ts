/**
 * Why a configuration was refused. The kind decides the protocol error (see `configApiError`);
 * the message is one line in Kafka's wording.
 */
export type ConfigErrorKind = 'unknown-name' | 'invalid-value' | 'null-value' | 'not-dynamic' | 'invalid-op';

export class ConfigError extends Error {
  constructor(
    readonly kind: ConfigErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Kafka's ConfigException wording: `Invalid value <value> for configuration <name>[: <reason>]`. */
export function invalidValue(name: string, value: string, reason?: string): ConfigError {
  return new ConfigError('invalid-value', `Invalid value ${value} for configuration ${name}${reason ? `: ${reason}` : ''}`);
}

export type ConfigResourceType = 'TOPIC' | 'BROKER';

/** The error a handler puts in its response for a refused config, as Kafka 3.9's ZkAdminManager does. */
export interface ConfigApiError {
  code: 'INVALID_CONFIG' | 'INVALID_REQUEST';
  message: string;
}

/**
 * CreateTopics reports every config problem as INVALID_CONFIG. AlterConfigs and
 * IncrementalAlterConfigs report an unknown topic config as INVALID_CONFIG too and a misused
 * operation as INVALID_REQUEST, but wrap bad values and non-dynamic keys in INVALID_REQUEST naming
 * the resource the way Java's ConfigResource prints.
 */
export function configApiError(
  err: ConfigError,
  api: 'CreateTopics' | 'AlterConfigs',
  resource: { type: ConfigResourceType; name: string },
): ConfigApiError {
  if (api === 'CreateTopics' || err.kind === 'unknown-name') return { code: 'INVALID_CONFIG', message: err.message };
  if (err.kind === 'invalid-op') return { code: 'INVALID_REQUEST', message: err.message };
  return {
    code: 'INVALID_REQUEST',
    message: `Invalid config value for resource ConfigResource(type=${resource.type}, name='${resource.name}'): ${err.message}`,
  };
}
