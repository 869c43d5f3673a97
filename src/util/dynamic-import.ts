const HOST_IMPORT = Symbol.for('kts.dynamicImport');

type Importer = (specifier: string) => Promise<unknown>;

/**
 * `import(specifier)` for a module the user names (partitioner.class). A command bundle runs as a
 * vm.Script (src/cli/cached-bundle.ts), and a script compiled from V8's code cache has no import()
 * of its own; the loader that ran it provides one here.
 */
export function dynamicImport(specifier: string): Promise<unknown> {
  const host = (globalThis as Record<symbol, Importer | undefined>)[HOST_IMPORT];
  return host !== undefined ? host(specifier) : import(specifier);
}

/** Set by the loader of a vm.Script bundle: its own import(), which Node's module loader serves. */
export function provideDynamicImport(importer: Importer): void {
  (globalThis as Record<symbol, Importer | undefined>)[HOST_IMPORT] = importer;
}

/**
 * The Node built-in `tls`, loaded on first use (a command that makes no TLS connection never
 * loads it): at once where Node has process.getBuiltinModule (20.16+), else through dynamicImport.
 */
export async function importTls(): Promise<typeof import('node:tls')> {
  return process.getBuiltinModule?.('node:tls') ?? ((await dynamicImport('node:tls')) as typeof import('node:tls'));
}
