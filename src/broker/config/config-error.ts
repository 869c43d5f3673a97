/**
 * Why a configuration was refused. The kind decides the protocol error (see `configApiError`);
 * the message is one line in Kafka's wording.
 */
export type ConfigErrorKind = 'unknown-name' | 'invalid-value' | 'null-value' | 'not-dynamic' | 'invalid-op' | 'not-list';

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
 * IncrementalAlterConfigs (Kafka 3.9, ZooKeeper mode) report an unknown topic config and a list
 * operation on a non-list key as INVALID_CONFIG, malformed requests (duplicate keys, nulls) as
 * INVALID_REQUEST, and a refused value as INVALID_CONFIG naming the resource the way Java's
 * ConfigResource prints — except on broker resources, whose validation Kafka turns into
 * INVALID_REQUEST with the message as is (KAFKA-13609).
 */
export function configApiError(
  err: ConfigError,
  api: 'CreateTopics' | 'AlterConfigs',
  resource: { type: ConfigResourceType; name: string },
): ConfigApiError {
  if (api === 'CreateTopics' || err.kind === 'unknown-name' || err.kind === 'not-list')
    return { code: 'INVALID_CONFIG', message: err.message };
  if (err.kind === 'invalid-op' || err.kind === 'null-value' || resource.type === 'BROKER')
    return { code: 'INVALID_REQUEST', message: err.message };
  return {
    code: 'INVALID_CONFIG',
    message: `Invalid config value for resource ConfigResource(type=${resource.type}, name='${resource.name}'): ${err.message}`,
  };
}
