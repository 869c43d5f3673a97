// Bundles tsc's output (dist/) into dist/bundle/: one ES module per entry point plus shared chunks
// that are imported lazily (each CLI command). Node resolves ~250 small modules one by one, which
// made `kts server-start` spend most of its start-up in the module loader.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const { dependencies } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
// commander runs on every command, so it is bundled (Node's CommonJS loader costs ~7 ms at start-up);
// every other dependency is a native addon or used by a few commands only, and stays in node_modules.
const external = Object.keys(dependencies).filter((name) => name !== 'commander').flatMap((name) => [name, `${name}/*`]);

const outdir = `${root}dist/bundle/`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: `${root}dist/cli/main.js`, index: `${root}dist/index.js` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Bundled CommonJS (commander) calls require() for Node's built-ins, which ES modules lack.
  banner: { js: "import { createRequire as __ktsCreateRequire } from 'node:module'; const require = __ktsCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
