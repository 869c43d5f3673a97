/** Kafka client properties (`--command-config`, `--producer.config` …), in file order. */
export type ClientProperties = ReadonlyMap<string, string>;
