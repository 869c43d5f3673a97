import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMessage, readSchemaJson, type MessageSpec, type RawMessage } from './schema.js';

/**
 * Record schemas written to the broker's internal topics, each generated into its own folder. These,
 * and the data schemas, also get JSON converters (tools print them, as kafka-dump-log does).
 */
export const RECORD_DIRS = ['group-coordinator', 'transaction-coordinator'] as const;
/** The folders of Kafka's schemas the generator reads. */
export const SCHEMA_DIRS = ['messages', ...RECORD_DIRS] as const;
export type SchemaDir = (typeof SCHEMA_DIRS)[number];
export type RawSchemas = Record<SchemaDir, RawMessage[]>;

/**
 * The schema model the code was generated from, written beside it: Kafka's definitions without their
 * `about` texts. Tests draw random values and expected defaults from it, so only the drift check
 * needs Kafka's schemas themselves.
 */
export const SCHEMA_MODEL_FILE = 'schema-model.json';

/** Every `*.json` schema of each folder, sorted by file name. */
export function readSchemas(schemasDir: string): RawSchemas {
  const read = (dir: SchemaDir) =>
    readdirSync(join(schemasDir, dir))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => readSchemaJson(join(schemasDir, dir, f)));
  return Object.fromEntries(SCHEMA_DIRS.map((dir) => [dir, read(dir)])) as RawSchemas;
}

/** One message per line, so a changed schema is a one-line diff. */
export function emitSchemaModel(schemas: RawSchemas): string {
  const withoutAbout = (key: string, value: unknown) => (key === 'about' ? undefined : value);
  const folders = SCHEMA_DIRS.map((dir) => {
    const lines = schemas[dir].map((msg) => `    ${JSON.stringify(msg, withoutAbout)}`);
    return `  ${JSON.stringify(dir)}: [\n${lines.join(',\n')}\n  ]`;
  });
  return `{\n${folders.join(',\n')}\n}\n`;
}

/** The messages of a schema model file (what `emitSchemaModel` wrote), by folder. */
export function loadSchemaModel(file: string): Record<SchemaDir, MessageSpec[]> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawSchemas;
  return Object.fromEntries(SCHEMA_DIRS.map((dir) => [dir, raw[dir].map(buildMessage)])) as Record<SchemaDir, MessageSpec[]>;
}
