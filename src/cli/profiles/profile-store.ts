import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KtsError, UsageError } from '../../util/errors.js';
import { formatProperties, readPropertiesFile } from '../../util/properties.js';

/**
 * Named profiles (as rpk's and kafkactl's contexts): each is a Kafka client properties file,
 * `$XDG_CONFIG_HOME/kts/profiles/<name>.properties` (default `~/.config/kts`), holding
 * `bootstrap.servers`, security settings and any client property, and optionally
 * `kts.command.config`: the path of a properties file to read under them (so secrets may stay
 * in the user's own file). The current profile's name is in `current-profile` beside them.
 */
export const COMMAND_CONFIG_KEY = 'kts.command.config';

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'kts');
}

const profilesDir = (): string => join(configDir(), 'profiles');
const currentFile = (): string => join(configDir(), 'current-profile');

export function profilePath(name: string): string {
  if (!NAME.test(name)) throw new UsageError(`Error: invalid profile name '${name}' (letters, digits, '.', '_' and '-')`);
  return join(profilesDir(), `${name}.properties`);
}

export function profileNames(): string[] {
  if (!existsSync(profilesDir())) return [];
  return readdirSync(profilesDir())
    .filter((f) => f.endsWith('.properties'))
    .map((f) => f.slice(0, -'.properties'.length))
    .sort();
}

/** The profile's own properties (`kts.command.config` unresolved); a missing profile is a usage error. */
export function readProfile(name: string): Map<string, string> {
  const path = profilePath(name);
  if (!existsSync(path)) throw new UsageError(`Error: no profile '${name}' (kts profile list shows them)`);
  return readPropertiesFile(path);
}

export function writeProfile(name: string, props: ReadonlyMap<string, string>): void {
  const path = profilePath(name);
  mkdirSync(profilesDir(), { recursive: true });
  // Security settings may be secrets: only the user reads them.
  writeFileSync(`${path}.tmp`, formatProperties(props), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

export function deleteProfile(name: string): void {
  const path = profilePath(name);
  if (!existsSync(path)) throw new UsageError(`Error: no profile '${name}' (kts profile list shows them)`);
  rmSync(path);
  if (currentProfile() === name) rmSync(currentFile(), { force: true });
}

/** The profile `kts profile use` chose, if any (a name whose file is gone counts as none). */
export function currentProfile(): string | undefined {
  // Most users have none: checking costs a command's start ~0.2 ms less than a thrown ENOENT.
  if (!existsSync(currentFile())) return undefined;
  try {
    const name = readFileSync(currentFile(), 'utf8').trim();
    return name !== '' && existsSync(profilePath(name)) ? name : undefined;
  } catch {
    return undefined;
  }
}

export function useProfile(name: string): void {
  readProfile(name);
  try {
    mkdirSync(configDir(), { recursive: true });
    writeFileSync(currentFile(), `${name}\n`);
  } catch (err) {
    throw new KtsError(`Error: cannot write ${currentFile()}: ${(err as Error).message}`);
  }
}
