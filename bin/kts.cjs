// What bin/kts runs. CommonJS (bin/package.json), so a command never starts Node's ES module
// loader: it runs its one-file bundle through a V8 code cache (src/cli/command-entry.ts). Without a
// command (`kts`, `kts --help`, `kts help x`), the code-split CLI runs.
const args = process.argv.slice(2);
if (require('../dist/bundle/command-entry.cjs').runCommandBundle(args) === undefined) {
  import('../dist/bundle/cli.js').then((m) => m.main(args));
}
