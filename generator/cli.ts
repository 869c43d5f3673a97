import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generate, writeGenerated } from './generate.js';
import { kafkaProtocolDir } from './kafka-protocol-dir.js';

/**
 * `npm run gen:protocol [-- <schemasDir>]`: scripts/gen-protocol.mjs compiles this module and calls
 * it with the repository root. Returns the exit code; every message is one line.
 */
export function genProtocol(repoRoot: string, args: string[]): number {
  const { dir, source } = args[0] === undefined ? kafkaProtocolDir(repoRoot) : { dir: args[0], source: 'the command line' };
  const outDir = join(repoRoot, 'src/protocol/generated');
  if (!existsSync(join(dir, 'messages'))) {
    process.stderr.write(`gen-protocol: no Kafka schemas (messages/*.json) in ${dir} (from ${source})\n`);
    return 1;
  }
  process.stdout.write(`gen-protocol: reading Kafka's schemas from ${dir} (from ${source})\n`);
  try {
    const files = generate(dir);
    writeGenerated(outDir, files);
    process.stdout.write(`gen-protocol: wrote ${files.size} files to ${outDir}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`gen-protocol: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
