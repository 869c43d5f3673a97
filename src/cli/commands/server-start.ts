import { resolve } from 'node:path';
import { Argument, type Command } from 'commander';
import { parsePropertyArgs, readPropertiesFile } from '../../util/properties.js';
import { Broker, type BrokerLogger } from '../../broker/broker.js';
import { loadBrokerConfig, type BrokerConfig } from '../../broker/config/broker-config.js';
import { startDaemon } from '../daemon/daemonize.js';
import { log4jLine } from '../log4j.js';
import { serveUntilSignal } from '../daemon/foreground.js';
import { KtsError, oneLine, UsageError } from '../../util/errors.js';
import { packagePath } from '../../util/package-path.js';

interface Options {
  daemon?: boolean;
  override: string[];
}

export function configure(cmd: Command): void {
  cmd
    .usage('[-daemon] [server.properties] [--override property=value]*')
    .addArgument(new Argument('[config]', 'server.properties file (default: the bundled config/server.properties)'))
    .option('--override <property=value>', 'a server.properties setting that wins over the file (repeatable)', collect, [])
    .option('--daemon', 'run in the background; output goes to $LOG_DIR/kafkaServer.out')
    .addHelpText(
      'after',
      `
Examples:
  kts server-start                                   # localhost:9092, data in /tmp/kts-logs
  kts server-start -daemon config/server.properties  # background; stop with kts server-stop
  kts server-start --override broker.id=1 --override listeners=PLAINTEXT://:9093`,
    )
    .action(async (config: string | undefined, opts: Options) => {
      const path = resolve(config ?? packagePath('config', 'server.properties'));
      const overrides = parseOverrides(opts.override);
      if (opts.daemon) {
        const args = ['server-start', path, ...opts.override.flatMap((o) => ['--override', o])];
        const { entry, log } = await startDaemon('kafka', args, 'kafkaServer.out');
        process.stdout.write(`Started kafka (pid ${entry.pid}, port ${entry.ports.join(', ')}); output in ${log}\n`);
        return;
      }
      await runForeground(path, overrides);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseOverrides(overrides: string[]): Map<string, string> {
  for (const o of overrides) {
    if (!o.includes('=')) throw new UsageError(`Error: invalid --override '${o}': expected property=value`);
  }
  return parsePropertyArgs(overrides);
}

const log: BrokerLogger = (level, message) => (level === 'info' ? process.stdout : process.stderr).write(log4jLine(level, message));

function loadConfig(path: string, overrides: Map<string, string>): BrokerConfig {
  try {
    const { config, unknownKeys } = loadBrokerConfig(readPropertiesFile(path), overrides);
    if (unknownKeys.length > 0) log('warn', `Ignoring unknown configuration keys: ${unknownKeys.join(', ')}`);
    return config;
  } catch (err) {
    throw new KtsError(err instanceof KtsError ? err.message : `Error: ${oneLine(err)}`);
  }
}

async function runForeground(path: string, overrides: Map<string, string>): Promise<void> {
  const config = loadConfig(path, overrides);
  let broker: Broker;
  try {
    broker = await Broker.start({ config, log });
  } catch (err) {
    throw new KtsError(`Error: cannot start the broker: ${oneLine(err)}`);
  }
  const endpoints = broker.endpoints;
  log(
    'info',
    `[KafkaServer id=${broker.brokerId}] started (cluster ${broker.clusterId}, log.dirs ${config.logDirs.join(',')}, config ${path})`,
  );
  for (const e of endpoints) log('info', `Listening on ${e.listenerName}://${e.host}:${e.port}`);
  // The broker stops itself when every log dir has failed (it said why): exit 1 then.
  const halted = broker.halted.then(() => broker.stop());
  const stopped = await serveUntilSignal(
    { kind: 'kafka', host: endpoints[0]!.host, ports: endpoints.map((e) => e.port), config: path },
    () => broker.stop(),
    halted,
  );
  log('info', `[KafkaServer id=${broker.brokerId}] shut down completed`);
  if (stopped === 'by itself') process.exitCode = 1;
}
