import { BOOTSTRAP_ENV } from '../../client/bootstrap.js';
import { readPropertiesFile } from '../../util/properties.js';
import { COMMAND_CONFIG_KEY, currentProfile, readProfile } from './profile-store.js';

/** The environment variable that selects a profile, as `--profile` does. */
export const PROFILE_ENV = 'KTS_PROFILE';

let selected: { name: string; explicit: boolean } | undefined;

/**
 * Chooses the run's profile: `--profile`, else `$KTS_PROFILE` (both explicit), else the current
 * one (`kts profile use`). Called once the command line is parsed.
 */
export function selectProfile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const explicit = flag ?? (env[PROFILE_ENV] || undefined);
  if (explicit !== undefined) {
    readProfile(explicit);
    selected = { name: explicit, explicit: true };
    return;
  }
  const current = currentProfile();
  selected = current === undefined ? undefined : { name: current, explicit: false };
}

/**
 * The client properties a tool starts from: the selected profile's (its `kts.command.config` file,
 * then its own keys), then the tool's own properties file, which wins. A profile only chosen with
 * `kts profile use` gives way to `$KTS_BOOTSTRAP_SERVER` for the bootstrap servers, so that variable
 * keeps working; a profile named with `--profile`/`$KTS_PROFILE` does not.
 */
export function clientProperties(file?: string, env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const props = new Map<string, string>();
  if (selected !== undefined) {
    const own = readProfile(selected.name);
    const referenced = own.get(COMMAND_CONFIG_KEY);
    own.delete(COMMAND_CONFIG_KEY);
    for (const [k, v] of [...(referenced ? readPropertiesFile(referenced) : []), ...own]) props.set(k, v);
    if (!selected.explicit && env[BOOTSTRAP_ENV]?.trim()) props.delete('bootstrap.servers');
  }
  if (file !== undefined) for (const [k, v] of readPropertiesFile(file)) props.set(k, v);
  return props;
}
