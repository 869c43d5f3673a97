import { generate, writeGenerated } from './generate.js';

/** `node dist/protocol/generator/cli.js <schemasDir> <outDir>` */
const [schemasDir, outDir] = process.argv.slice(2);
if (!schemasDir || !outDir) {
  process.stderr.write('usage: cli.js <schemasDir> <outDir>\n');
  process.exit(2);
}
try {
  const files = generate(schemasDir);
  writeGenerated(outDir, files);
  process.stdout.write(`wrote ${files.size} files to ${outDir}\n`);
} catch (err) {
  process.stderr.write(`gen-protocol: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
