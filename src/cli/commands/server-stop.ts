import { resolve } from 'node:path';
import { Argument, Option, type Command } from 'commander';
import { describeStopped, stopServers } from '../daemon/stop-servers.js';
import { UsageError } from '../../util/errors.js';

export function configure(cmd: Command): void {
  cmd
    .usage('[server.properties] [--pid <pid>]')
    .addArgument(new Argument('[config]', 'stop only the broker started with this server.properties file'))
    .addOption(new Option('--pid <pid>', 'stop only the broker with this process id').argParser(parsePid))
    .addHelpText('after', '\nWithout arguments, stops every broker kts started on this machine (gracefully: flush, checkpoint, exit).')
    .action(async (config: string | undefined, opts: { pid?: number }) => {
      const path = config === undefined ? undefined : resolve(config);
      const stopped = await stopServers(
        'kafka',
        (e) => (path === undefined || e.config === path) && (opts.pid === undefined || e.pid === opts.pid),
      );
      for (const entry of stopped) process.stdout.write(`${describeStopped(entry)}\n`);
    });
}

function parsePid(text: string): number {
  const pid = Number(text);
  if (!/^\d+$/.test(text) || pid <= 0) throw new UsageError(`Error: invalid --pid '${text}'`);
  return pid;
}
