import { resolve } from 'node:path';
import { Argument, type Command } from 'commander';
import { readPropertiesFile } from '../../util/properties.js';
import { parseConfig } from '../../zookeeper/config.js';
import { startZooKeeper } from '../../zookeeper/server.js';
import { startDaemon } from '../daemon/daemonize.js';
import { serveUntilSignal } from '../daemon/foreground.js';
import { KtsError, oneLine } from '../../util/errors.js';
import { packagePath } from '../../util/package-path.js';

export function configure(cmd: Command): void {
  cmd
    .usage('[-daemon] [zookeeper.properties]')
    .addArgument(new Argument('[config]', 'zookeeper.properties file (default: the bundled config/zookeeper.properties)'))
    .option('--daemon', 'run in the background; output goes to $LOG_DIR/zookeeper.out')
    .addHelpText('after', '\nStops with `kts zookeeper-stop`. A replicated ensemble (server.N) is not supported.')
    .action(async (config: string | undefined, opts: { daemon?: boolean }) => {
      const path = resolve(config ?? packagePath('config', 'zookeeper.properties'));
      if (opts.daemon) {
        const { entry, log } = await startDaemon('zookeeper', ['zookeeper-start', path], 'zookeeper.out');
        process.stdout.write(`Started zookeeper (pid ${entry.pid}, port ${entry.ports[0]}); output in ${log}\n`);
        return;
      }
      await runForeground(path);
    });
}

async function runForeground(path: string): Promise<void> {
  const { config, warnings } = (() => {
    try {
      return parseConfig(readPropertiesFile(path));
    } catch (err) {
      throw new KtsError(err instanceof KtsError ? err.message : `Error: ${path}: ${oneLine(err)}`);
    }
  })();
  for (const warning of warnings) process.stderr.write(`${warning}\n`);
  let zk: Awaited<ReturnType<typeof startZooKeeper>>;
  try {
    zk = await startZooKeeper({ ...config, port: config.clientPort });
  } catch (err) {
    throw new KtsError(`Error: cannot start zookeeper: ${oneLine(err)}`);
  }
  process.stdout.write(`kts zookeeper ${zk.host}:${zk.port} serving (standalone, dataDir ${config.dataDir}, config ${path})\n`);
  await serveUntilSignal({ kind: 'zookeeper', host: zk.host, ports: [zk.port], config: path }, () => zk.stop());
  process.stdout.write('kts zookeeper stopped\n');
}
