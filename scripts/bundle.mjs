// Bundles tsc's output (dist/) into dist/bundle/: one ES module per entry point plus shared chunks
// that are imported lazily (each CLI command). Node resolves ~250 small modules one by one, which
// made `kts server-start` spend most of its start-up in the module loader.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: 'dist/cli/main.js', index: 'dist/index.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // npm dependencies stay in node_modules: several are native addons.
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
