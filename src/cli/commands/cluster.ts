import { resolve } from 'node:path';
import { Argument, Option, type Command } from 'commander';
import { clusterStatus, type ClusterStatus } from '../cluster/cluster-status.js';
import { defaultClusterDir } from '../cluster/cluster-layout.js';
import { startCluster } from '../cluster/cluster-start.js';
import { stopCluster } from '../cluster/cluster-stop.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';
import { renderTable } from '../table.js';
import { UsageError } from '../../util/errors.js';

interface Flags {
  brokers?: number;
  port?: number;
  zookeeper?: string;
  dir?: string;
  output: OutputFormat;
}

const EXAMPLES = `
Examples:
  kts cluster start                          # 3 brokers on 9092-9094, ids 1-3, the bundled ZooKeeper
  kts cluster start --brokers 5 --port 19092 --dir ./my-cluster
  kts cluster start --zookeeper zk1:2181/kafka
  kts cluster start kafka100.properties kafka101.properties kafka102.properties
  kts cluster status --output json
  kts cluster stop                           # one broker at a time, the controller last

Each broker gets server-<id>.properties and its log dir under --dir (default ${defaultClusterDir()});
the next start reuses them, so data survives. Nodes already running are skipped.`;

export function configure(cmd: Command): void {
  cmd
    .usage('start|stop|status [options] [server.properties...]')
    .addArgument(new Argument('<action>', 'start, stop or status').choices(['start', 'stop', 'status']))
    .addArgument(new Argument('[config...]', 'start: existing server.properties files making up the cluster'))
    .addOption(new Option('--brokers <n>', 'start: number of brokers (default 3)').argParser(positiveInt('--brokers')))
    .addOption(
      new Option('--port <port>', 'start: port of broker 1; broker i listens on port+i-1 (default 9092)').argParser(positiveInt('--port')),
    )
    .option('--zookeeper <zk>', 'start: bundled (default: on 2181, or a free port when taken) or HOST:PORT[/chroot]')
    .option('--dir <dir>', `where the cluster's files, data and logs live (default ${defaultClusterDir()})`);
  addOutputOption(cmd, ['text', 'json', 'table']);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(action: 'start' | 'stop' | 'status', files: string[], flags: Flags): Promise<void> {
  const dir = resolve(flags.dir ?? defaultClusterDir());
  const print = (line: string) => process.stdout.write(`${line}\n`);
  if (action !== 'start') {
    if (files.length > 0) throw new UsageError(`Error: kts cluster ${action} takes no server.properties files (give --dir)`);
    for (const [flag, value] of [
      ['--brokers', flags.brokers],
      ['--port', flags.port],
      ['--zookeeper', flags.zookeeper],
    ] as const) {
      if (value !== undefined) throw new UsageError(`Error: ${flag} is an option of kts cluster start`);
    }
  }
  if (action === 'start') await startCluster({ dir, files, brokers: flags.brokers, port: flags.port, zookeeper: flags.zookeeper }, print);
  else if (action === 'stop') await stopCluster(dir, print);
  else printStatus(await clusterStatus(dir), flags.output);
}

function printStatus(status: ClusterStatus, output: OutputFormat): void {
  if (output === 'json') {
    printJson(status);
    return;
  }
  const { zookeeper } = status;
  const zkLine = `ZooKeeper ${zookeeper.connect}: ${zookeeper.bundled ? `${zookeeper.state}${zookeeper.pid === null ? '' : ` (pid ${zookeeper.pid})`}` : 'not started by kts'}`;
  const head = ['ID', 'PID', 'LISTENER', 'STATE', 'CONTROLLER', 'LEADER-PARTITIONS', 'UNDER-REPLICATED'];
  const rows = status.brokers.map((b) => [
    b.id,
    b.pid ?? '-',
    b.listener,
    b.state,
    b.controller ? 'yes' : 'no',
    b.partitionsLed,
    b.underReplicated,
  ]);
  if (output === 'table') {
    process.stdout.write(`${zkLine}\n${renderTable(head, rows)}`);
    return;
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: ReadonlyArray<string | number>) =>
    `${cells
      .map((c, i) => String(c).padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}\n`;
  process.stdout.write(`${zkLine}\n${line(head)}${rows.map(line).join('')}`);
}

function positiveInt(flag: string): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n <= 0) throw new UsageError(`Error: invalid ${flag} '${text}': expected a positive integer`);
    return n;
  };
}
