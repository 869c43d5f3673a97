/**
 * Drop-in mode: a bin/kafka/ shim runs kts with the name of the Kafka script it stands in for in
 * this variable, and the tool then behaves as Kafka 3.9's script does where kts's own conventions
 * differ (streams, exit codes, --help, --version). docs/architecture/drop-in.md lists every difference.
 */
export const KAFKA_SCRIPT_ENV = 'KTS_KAFKA_SCRIPT';

/** The Kafka release whose scripts kts stands in for: what `kafka-*.sh --version` prints. */
export const KAFKA_VERSION = '3.9.0';

/** The Kafka script this process runs as (`kafka-topics.sh`), or undefined when run as `kts`. */
export function kafkaScript(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[KAFKA_SCRIPT_ENV] || undefined;
}

export function asKafkaScript(env: NodeJS.ProcessEnv = process.env): boolean {
  return kafkaScript(env) !== undefined;
}
