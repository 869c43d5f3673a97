import type { Command } from 'commander';
import { BOOTSTRAP_ENV, DEFAULT_BOOTSTRAP_SERVER } from '../client/bootstrap.js';

/** `--bootstrap-server <list>`: comma-separated host:port list. */
export function addBootstrapOption(cmd: Command): Command {
  return cmd.option(
    '--bootstrap-server <list>',
    `comma-separated host:port list of brokers (default: $${BOOTSTRAP_ENV}, else ${DEFAULT_BOOTSTRAP_SERVER})`,
  );
}

/** A client properties file: `--command-config`, `--producer.config`, `--consumer.config`. */
export function addCommandConfigOption(cmd: Command, flag = '--command-config'): Command {
  return cmd.option(`${flag} <file>`, 'client properties file (security, timeouts, client.id, ...)');
}

export function addVerboseOption(cmd: Command): Command {
  return cmd.option('--verbose', 'log connection activity (and, in consumer-groups, kafkajs) to stderr');
}
