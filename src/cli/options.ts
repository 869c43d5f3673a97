import type { Command } from 'commander';
import { BOOTSTRAP_ENV, DEFAULT_BOOTSTRAP_SERVER } from '../client/bootstrap.js';
import { PROFILE_ENV, selectProfile } from './profiles/active-profile.js';

/**
 * `--bootstrap-server <list>` (comma-separated host:port list) and `--profile <name>`, which
 * selects the run's profile before the command's action runs (profiles/active-profile.ts).
 */
export function addBootstrapOption(cmd: Command): Command {
  return cmd
    .option(
      '--bootstrap-server <list>',
      `comma-separated host:port list of brokers (default: the profile's, $${BOOTSTRAP_ENV}, else ${DEFAULT_BOOTSTRAP_SERVER})`,
    )
    .option('--profile <name>', `client profile to use (default: $${PROFILE_ENV}, else the current one; kts profile list)`)
    .hook('preAction', (command) => selectProfile(command.opts().profile as string | undefined));
}

/** A client properties file: `--command-config`, `--producer.config`, `--consumer.config`. */
export function addCommandConfigOption(cmd: Command, flag = '--command-config'): Command {
  return cmd.option(`${flag} <file>`, 'client properties file (security, timeouts, client.id, ...)');
}

export function addVerboseOption(cmd: Command): Command {
  return cmd.option('--verbose', 'log connection activity to stderr');
}
