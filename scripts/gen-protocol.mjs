#!/usr/bin/env node
// Regenerates src/protocol/generated/ from Kafka's JSON schemas. The generator (generator/) is a
// TypeScript build tool, not part of the library: esbuild compiles it here, so no build is needed.
// Usage: npm run gen:protocol [-- <schemasDir>]; the default is $KAFKA_PROTOCOL_DIR, else
// ../shared/kafka-protocol beside the repository.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'kts-gen-protocol-'));
try {
  const outfile = join(scratch, 'cli.mjs');
  await build({
    entryPoints: [join(root, 'generator/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  const { genProtocol } = await import(pathToFileURL(outfile).href);
  process.exitCode = genProtocol(root, process.argv.slice(2));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
