#!/usr/bin/env node
// Regenerates src/protocol/generated/ from Kafka's JSON schemas with the compiled generator.
// Usage: npm run gen:protocol [-- <schemasDir> <outDir>]; build first (npm run build).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/protocol/generator/cli.js');
const [schemasDir = join(root, '../shared/kafka-protocol'), outDir = join(root, 'src/protocol/generated')] = process.argv.slice(2);

if (!existsSync(cli)) {
  console.error(`gen-protocol: ${cli} is missing; run npm run build first`);
  process.exit(1);
}
const run = spawnSync(process.execPath, [cli, schemasDir, outDir], { stdio: 'inherit' });
process.exit(run.status ?? 1);
