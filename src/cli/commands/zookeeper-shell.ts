import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { ZooKeeperShell } from '../../tools/zookeeper-shell/zookeeper-shell.js';
import { KtsError, UsageError } from '../../util/errors.js';

const CONNECT_TIMEOUT_MS = 30_000;

const EXAMPLES = `
Examples:
  kts zookeeper-shell localhost:2181 ls /brokers/ids
  kts zookeeper-shell localhost:2181/kafka get -s /controller
  printf 'ls /\\nget /controller\\n' | kts zookeeper-shell localhost:2181
Commands (Apache ZooKeeper 3.8's CLI): ls [-s] [-w] [-R], get [-s] [-w], stat [-w], create [-s] [-e] [-c] path [data],
set [-s] [-v version] path data, delete [-v version] path, deleteall path, quit.`;

export function configure(cmd: Command): void {
  cmd
    .usage('zookeeper_host:port[/path] [args...]')
    .argument('[server]', 'the ZooKeeper to connect to, host:port[,host:port...][/chroot]')
    .argument('[args...]', 'one command to run (default: commands read from standard input)')
    .allowUnknownOption()
    .addHelpText('after', EXAMPLES)
    .action(run);
}

async function run(server: string | undefined, args: string[]): Promise<void> {
  if (server === undefined || server.startsWith('-'))
    throw new UsageError('USAGE: zookeeper-shell zookeeper_host:port[/path] [-zk-tls-config-file file] [args...]');
  if (args[0] === '-zk-tls-config-file')
    throw new KtsError('Error: -zk-tls-config-file is not supported by kts zookeeper-shell (no TLS to ZooKeeper)');
  const output = { out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };
  const shell = await ZooKeeperShell.connect(server, output, args.length === 0, CONNECT_TIMEOUT_MS);
  try {
    if (args.length > 0) {
      // One command from the arguments: its result, then exit (1 if it failed), as ZooKeeperMain.
      await shell.execute(args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' '));
      if (shell.failed) process.exitCode = 1;
      return;
    }
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (!(await shell.execute(line))) {
        await shell.quit();
        return;
      }
    }
  } finally {
    await shell.close();
  }
}
