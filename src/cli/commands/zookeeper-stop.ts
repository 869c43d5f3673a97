import type { Command } from 'commander';
import { describeStopped, stopServers } from '../daemon/stop-servers.js';

export function configure(cmd: Command): void {
  cmd.action(async () => {
    for (const entry of await stopServers('zookeeper')) process.stdout.write(`${describeStopped(entry)}\n`);
  });
}
