import { resolve } from 'node:path';

/**
 * Where Kafka's JSON schemas are (a folder with `messages/`, `group-coordinator/` and
 * `transaction-coordinator/` as in Kafka's source tree): `$KAFKA_PROTOCOL_DIR`, else
 * `../shared/kafka-protocol` beside the repository. `source` says which, for messages.
 */
export function kafkaProtocolDir(repoRoot: string): { dir: string; source: string } {
  const fromEnv = process.env.KAFKA_PROTOCOL_DIR;
  if (fromEnv) return { dir: resolve(fromEnv), source: '$KAFKA_PROTOCOL_DIR' };
  return {
    dir: resolve(repoRoot, '../shared/kafka-protocol'),
    source: 'the default ../shared/kafka-protocol; set KAFKA_PROTOCOL_DIR to change it',
  };
}
