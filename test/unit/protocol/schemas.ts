import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMessage, type MessageSpec } from '../../../src/protocol/generator/schema.js';

/** Kafka's JSON schemas, next to the repository (/work/shared is ../shared from the checkout). */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../../../shared/kafka-protocol', import.meta.url));

if (!existsSync(SCHEMAS_DIR)) throw new Error(`Kafka schemas not found at ${SCHEMAS_DIR}`);

export function loadSchemas(dir: string): MessageSpec[] {
  return readdirSync(join(SCHEMAS_DIR, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadMessage(join(SCHEMAS_DIR, dir, f)));
}

export function versionsOf(msg: MessageSpec): number[] {
  const out: number[] = [];
  for (let v = msg.validVersions.lo; v <= msg.validVersions.hi; v++) out.push(v);
  return out;
}
