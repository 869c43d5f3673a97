// Bundles tsc's output (dist/) into dist/bundle/: the CLI and the library as ES modules plus shared
// chunks that are imported lazily (each CLI command), and `kts server-start` as one file. Node
// resolves ~250 small modules one by one, which made start-up mostly module loading.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
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
  plugins: [lazyChildProcessForCommander()],
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
  COMMANDS.map(async ({ name }) => {
    const options = {
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
      plugins: name === 'completion' ? common.plugins : [...common.plugins, onlyCommand(name)],
    };
    const { metafile } = await build({ ...options, write: false, metafile: true });
    await build({ ...options, plugins: [...options.plugins, onlyNamedCodecs(namedApis(metafile))] });
  }),
);
await build({ ...commonJs, entryPoints: [`${root}dist/cli/command-entry.js`], outfile: `${outdir}command-entry.cjs` });
for (const { name } of COMMANDS) assertAscii(`${outdir}commands/${name}.cjs`);
assertAscii(`${outdir}command-entry.cjs`);

/**
 * esbuild escapes non-ASCII text in code but keeps the comments it carries over as they are. One
 * such character makes V8 hold the whole bundle as a two-byte string, read twice as slowly at
 * every start of the command.
 */
function assertAscii(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((line) => /[\u0080-\uffff]/.test(line));
  if (at >= 0) throw new Error(`bundle: ${file}:${at + 1} is not ASCII (write the source comment in ASCII): ${lines[at].trim()}`);
}

/**
 * The APIs a bundle's code names (`ApiKey.Metadata`): the only ones it can send, as every request
 * names its API so (the generic senders pass on their caller's key).
 */
function namedApis(metafile) {
  const names = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    // Our modules; not the stdin entry (`<name>-main.js`, which names none).
    if (!input.startsWith('dist/') || !existsSync(`${root}${input}`)) continue;
    for (const [, api] of readFileSync(`${root}${input}`, 'utf8').matchAll(/\bApiKey\.([A-Z]\w*)/g)) names.add(api);
  }
  return names;
}

/**
 * The framing layer's table of every API's codecs (generated/apis.js) with only `apis`' codecs
 * linked: the others (~300 KB, ~45% of a command's bundle) would be loaded by every command at
 * start-up. Using one of them fails with a message naming it.
 */
function onlyNamedCodecs(apis) {
  return {
    name: 'only-named-codecs',
    setup(b) {
      b.onLoad({ filter: /[/\\]dist[/\\]protocol[/\\]generated[/\\]apis\.js$/ }, ({ path }) => {
        const modules = new Map(
          [...readFileSync(path, 'utf8').matchAll(/^import \* as (\w+)Api from '(\.\/apis\/[a-z-]+\.js)';$/gm)].map(([, ns, file]) => [
            ns,
            file,
          ]),
        );
        const kept = [...apis].map((api) => {
          const ns = api[0].toLowerCase() + api.slice(1);
          if (!modules.has(ns)) throw new Error(`bundle: ApiKey.${api} names no generated API module`);
          return { api, ns, file: modules.get(ns) };
        });
        return {
          contents: [
            "import { API_INFO, ApiKey } from './api-info.js';",
            ...kept.map(({ ns, file }) => `import { ${ns}Codec } from '${file}';`),
            'const missing = (info) => () => {',
            // biome-ignore lint/suspicious/noTemplateCurlyInString: source text of the generated module, whose template literal names the API
            '  throw new Error(`${info.name} was left out of this command bundle (scripts/bundle.mjs): its code never names ApiKey.${info.name}`);',
            '};',
            'export const APIS = Object.fromEntries(Object.values(API_INFO).map((info) => [info.apiKey, { ...info, encodeRequest: missing(info), decodeRequest: missing(info), encodeResponse: missing(info), decodeResponse: missing(info) }]));',
            ...kept.map(({ api, ns }) => `APIS[ApiKey.${api}] = { ...API_INFO[ApiKey.${api}], ...${ns}Codec };`),
          ].join('\n'),
          loader: 'js',
          resolveDir: dirname(path),
        };
      });
    },
  };
}

/**
 * commander loads node:child_process as it loads, for `git`-style subcommands run as executables,
 * which kts has none of. Node's child_process (with the net and dgram modules it loads) cost every
 * command ~0.4 ms of its start-up; commander gets a stand-in that loads it on first use.
 */
function lazyChildProcessForCommander() {
  return {
    name: 'lazy-child-process-for-commander',
    setup(b) {
      b.onResolve({ filter: /^node:child_process$/ }, ({ importer }) =>
        /[/\\]node_modules[/\\]commander[/\\]/.test(importer) ? { path: 'node:child_process', namespace: 'lazy-child-process' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
        contents: "module.exports = { get spawn() { return require('node:child_process').spawn; } };",
        loader: 'js',
      }));
    },
  };
}

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
