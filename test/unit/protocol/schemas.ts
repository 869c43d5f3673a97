import { fileURLToPath } from 'node:url';
import { loadSchemaModel, SCHEMA_MODEL_FILE, type SchemaDir } from '../../../generator/model.js';
import type { MessageSpec } from '../../../generator/schema.js';

/** The schema model committed beside the generated code: what it was generated from, without Kafka's schema files. */
const model = loadSchemaModel(fileURLToPath(new URL(`../../../src/protocol/generated/${SCHEMA_MODEL_FILE}`, import.meta.url)));

export function messageSpecs(dir: SchemaDir): MessageSpec[] {
  return model[dir];
}

export function versionsOf(msg: MessageSpec): number[] {
  const out: number[] = [];
  for (let v = msg.validVersions.lo; v <= msg.validVersions.hi; v++) out.push(v);
  return out;
}
