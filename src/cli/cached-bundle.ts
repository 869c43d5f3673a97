import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { provideDynamicImport } from '../util/dynamic-import.js';

/** Long enough for start-up to be over, so the cache holds the functions start-up compiled. */
export const WRITE_AFTER_MS = 1_000;

/**
 * When the cache is written:
 * - a server's once its start-up is over (WRITE_AFTER_MS);
 * - a tool's when it exits, so the cache holds every function the run compiled. `didItsWork` says
 *   then whether the run did what the command is for: a usage error, `--help` or a failure compiles
 *   a sliver of it, and its cache would leave every later run compiling the rest (1-3 ms of a
 *   networked command's start). Such a run's cache is kept only until a run that did its work
 *   replaces it;
 * - never by a server's `-daemon` launcher, whose server writes it (two writers would replace each
 *   other's file).
 */
export type CacheWrite = { when: 'after-start-up' } | { when: 'at-exit'; didItsWork: () => boolean } | { when: 'never' };

/** The cache file's first byte, before V8's data: whether the run that wrote it did its work. */
const FROM_A_RUN_THAT_DID_ITS_WORK = 1;
const FROM_ANOTHER_RUN = 0;

/**
 * Runs a CommonJS bundle with a V8 code cache: parsing and compiling a command's few hundred KB
 * of JavaScript is ~20 ms of its start-up, which Node 20 cannot cache by itself (Node 22's
 * `module.enableCompileCache` does the same for every module). The cache lives in the user's cache
 * directory, is keyed by the bundle's size and mtime and V8's version (V8 itself only checks the
 * source length). A missing, stale or corrupt cache costs only the compile it would have saved.
 */
export function requireWithCodeCache(file: string, write: CacheWrite = { when: 'after-start-up' }): unknown {
  const source = readFileSync(file, 'utf8');
  const cacheFile = cachePath(file);
  const cached = cacheFile === undefined ? undefined : readIfPresent(cacheFile);
  const cachedData = cached?.subarray(1);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  provideDynamicImport((specifier) => import(specifier));
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (cacheFile === undefined || write.when === 'never') return module.exports;
  const usable = cached !== undefined && !script.cachedDataRejected;
  const save = (from: number) => writeCache(cacheFile, bundlePrefix(file), from, script.createCachedData());
  if (write.when === 'after-start-up') {
    if (!usable) setTimeout(() => save(FROM_A_RUN_THAT_DID_ITS_WORK), WRITE_AFTER_MS).unref();
  } else if (!usable || cached[0] !== FROM_A_RUN_THAT_DID_ITS_WORK) {
    // V8's data from this run holds the functions the cache it read held too, compiled: a run that
    // does its work after one that did not adds its own to theirs.
    process.once('exit', () => {
      const didItsWork = write.didItsWork();
      if (!usable || didItsWork) save(didItsWork ? FROM_A_RUN_THAT_DID_ITS_WORK : FROM_ANOTHER_RUN);
    });
  }
  return module.exports;
}

function cachePath(file: string): string | undefined {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  if (!base) return undefined;
  const { size, mtimeMs } = statSync(file);
  return join(base, 'kts', `${bundlePrefix(file)}${size}-${Math.trunc(mtimeMs)}-v8-${process.versions.v8}-${process.arch}.cache`);
}

/** The bundle's name and a hash of where it is installed, so two installs do not evict each other's cache. */
function bundlePrefix(file: string): string {
  let hash = 0x811c9dc5; // FNV-1a: no need for node:crypto's load time here
  for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193);
  return `${basename(file)}-${(hash >>> 0).toString(16)}-`;
}

function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Best effort: replaces the caches of earlier builds of this install's bundle; an unwritable directory just means no cache. */
function writeCache(path: string, bundlePrefix: string, from: number, data: Buffer): void {
  try {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true });
    for (const old of readdirSync(dir)) if (old.startsWith(bundlePrefix) && old !== basename(path)) rmSync(join(dir, old), { force: true });
    writeFileSync(`${path}.${process.pid}`, Buffer.concat([Buffer.of(from), data]));
    renameSync(`${path}.${process.pid}`, path);
  } catch {
    // No cache this time.
  }
}
