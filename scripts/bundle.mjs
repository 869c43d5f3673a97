// Bundles tsc's output (dist/) into dist/bundle/: the CLI and the library as ES modules plus shared
// chunks that are imported lazily (each CLI command), and `kts server-start` as one file. Node
// resolves ~250 small modules one by one, which made start-up mostly module loading.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
// Native addons load their binaries from node_modules; every other dependency is bundled (Node's
// CommonJS loader cost ~7 ms for commander alone) and, like our own code, loaded only by the
// commands that use it.
const NATIVE_ADDONS = ['@node-rs/crc32', 'snappy', 'lz4-napi', 'zstd-napi'];
const external = NATIVE_ADDONS.flatMap((name) => [name, `${name}/*`]);

const outdir = `${root}dist/bundle/`;
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Bundled CommonJS (commander, cli-table3) calls require() for Node's built-ins, which ES modules lack.
  banner: { js: "import { createRequire as __ktsCreateRequire } from 'node:module'; const require = __ktsCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};
rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { cli: `${root}dist/cli/main.js`, index: `${root}dist/index.js` },
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// Each command alone, in one CommonJS file (`dist/bundle/commands/<name>.cjs`): Node loads one
// module instead of ~20 chunks (~10 ms), and runs it through a V8 code cache (~20 ms); the loader
// that does so is CommonJS too, so a command never starts Node's ES module loader (~5 ms). The
// registry's other commands are stubbed out of each bundle: runCli only loads the one it runs
// (`completion` describes them all, so its bundle has them all).
const commonJs = {
  ...common,
  format: 'cjs',
  define: { 'import.meta.url': '__ktsModuleUrl' },
  banner: { js: "var __ktsModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};
const { COMMANDS } = await import(`${root}dist/cli/registry.js`);
await Promise.all(
  COMMANDS.map(({ name }) =>
    build({
      ...commonJs,
      stdin: {
        contents: `import { runCli } from './run-cli.js';
import { COMMANDS } from './registry.js';
export function main(rawArgv) {
  return runCli(rawArgv, ${name === 'completion' ? 'COMMANDS' : `COMMANDS.filter((c) => c.name === ${JSON.stringify(name)})`});
}`,
        resolveDir: `${root}dist/cli`,
        sourcefile: `${name}-main.js`,
      },
      outfile: `${outdir}commands/${name}.cjs`,
      plugins: name === 'completion' ? [] : [onlyCommand(name)],
    }),
  ),
);
await build({ ...commonJs, entryPoints: [`${root}dist/cli/command-entry.js`], outfile: `${outdir}command-entry.cjs` });

/** Replaces the registry's imports of other commands' modules with a stub that is never called. */
function onlyCommand(name) {
  return {
    name: 'only-command',
    setup(b) {
      b.onResolve({ filter: /^\.\/commands\/[^/]+\.js$/ }, (args) =>
        args.path === `./commands/${name}.js` ? undefined : { path: args.path, namespace: 'other-command' },
      );
      b.onLoad({ filter: /.*/, namespace: 'other-command' }, () => ({ contents: 'export function configure() {}', loader: 'js' }));
    },
  };
}
