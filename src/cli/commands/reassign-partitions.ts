import { Option, type Command } from 'commander';
import { ReassignPartitions } from '../../tools/reassign-partitions/reassign-partitions.js';
import { UsageError } from '../../util/errors.js';
import { readPropertiesFile } from '../../util/properties.js';
import { readUserFile } from '../../util/read-file.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';

interface Flags {
  bootstrapServer?: string;
  commandConfig?: string;
  generate?: boolean;
  execute?: boolean;
  verify?: boolean;
  cancel?: boolean;
  list?: boolean;
  reassignmentJsonFile?: string;
  topicsToMoveJsonFile?: string;
  brokerList?: string;
  disableRackAware?: boolean;
  throttle?: number;
  replicaAlterLogDirsThrottle?: number;
  timeout?: number;
  additional?: boolean;
  preserveThrottles?: boolean;
}

type Action = 'generate' | 'execute' | 'verify' | 'cancel' | 'list';
const ACTIONS: readonly Action[] = ['generate', 'execute', 'verify', 'cancel', 'list'];

/** Kafka's validateAndParseArgs: what each action needs and what else it accepts. */
const REQUIRED: Record<Action, ReadonlyArray<keyof Flags>> = {
  generate: ['topicsToMoveJsonFile', 'brokerList'],
  execute: ['reassignmentJsonFile'],
  verify: ['reassignmentJsonFile'],
  cancel: ['reassignmentJsonFile'],
  list: [],
};
const PERMITTED: Record<Action, ReadonlyArray<keyof Flags>> = {
  generate: ['disableRackAware'],
  execute: ['additional', 'throttle', 'replicaAlterLogDirsThrottle', 'timeout'],
  verify: ['preserveThrottles'],
  cancel: ['preserveThrottles', 'timeout'],
  list: [],
};
const FLAG_NAMES: Partial<Record<keyof Flags, string>> = {
  reassignmentJsonFile: 'reassignment-json-file',
  topicsToMoveJsonFile: 'topics-to-move-json-file',
  brokerList: 'broker-list',
  disableRackAware: 'disable-rack-aware',
  throttle: 'throttle',
  replicaAlterLogDirsThrottle: 'replica-alter-log-dirs-throttle',
  timeout: 'timeout',
  additional: 'additional',
  preserveThrottles: 'preserve-throttles',
};

const EXAMPLES = `
Examples:
  echo '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[2,3]}]}' > move.json
  kts reassign-partitions --bootstrap-server localhost:9092 --execute --reassignment-json-file move.json --throttle 1000000
  kts reassign-partitions --bootstrap-server localhost:9092 --verify --reassignment-json-file move.json   # clears the throttle when done
  kts reassign-partitions --bootstrap-server localhost:9092 --list
  kts reassign-partitions --bootstrap-server localhost:9092 --cancel --reassignment-json-file move.json
  echo '{"version":1,"topics":[{"topic":"orders"}]}' > topics.json
  kts reassign-partitions --bootstrap-server localhost:9092 --generate --topics-to-move-json-file topics.json --broker-list 1,2,3
  # broker 2's replica of orders-0 to its log dir /data2 (AlterReplicaLogDirs), at most 10 MB/s:
  echo '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2],"log_dirs":["any","/data2"]}]}' > dirs.json
  kts reassign-partitions --bootstrap-server localhost:9092 --execute --reassignment-json-file dirs.json --replica-alter-log-dirs-throttle 10000000`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd
    .option('--generate', 'propose an assignment of the topics in --topics-to-move-json-file over --broker-list')
    .option('--execute', 'start the reassignment in --reassignment-json-file')
    .option('--verify', 'report whether the reassignment in --reassignment-json-file is complete; then clear throttles')
    .option('--cancel', 'cancel the reassignments in --reassignment-json-file still in progress')
    .option('--list', 'list the reassignments in progress')
    .option(
      '--reassignment-json-file <file>',
      '{"version":1,"partitions":[{"topic":"foo","partition":1,"replicas":[1,2,3],"log_dirs":["any","any","any"]}]}',
    )
    .option('--topics-to-move-json-file <file>', '{"version":1,"topics":[{"topic":"foo"}]}')
    .option('--broker-list <ids>', 'the brokers --generate may assign to, e.g. 0,1,2')
    .option('--disable-rack-aware', 'ignore racks in --generate')
    .addOption(
      new Option('--throttle <bytes/s>', 'replication throttle for the moving replicas (default -1: none)').argParser(longArg('throttle')),
    )
    .addOption(
      new Option(
        '--replica-alter-log-dirs-throttle <bytes/s>',
        'throttle of moves between log dirs on a broker (default -1: none)',
      ).argParser(longArg('replica-alter-log-dirs-throttle')),
    )
    .addOption(new Option('--timeout <ms>', 'how long to wait for log dir moves to start (default 10000)').argParser(longArg('timeout')))
    .option('--additional', 'execute even though reassignments are in progress (also: change their throttle)')
    .option('--preserve-throttles', 'leave the throttles in place (--verify, --cancel)')
    .addHelpText('after', EXAMPLES)
    .action(run);
}

async function run(flags: Flags): Promise<void> {
  const action = checkArgs(flags);
  const properties = flags.commandConfig ? readPropertiesFile(flags.commandConfig) : undefined;
  const options = { bootstrapServer: flags.bootstrapServer, properties };
  const print = (text: string) => process.stdout.write(text);
  const json = () => readUserFile(flags.reassignmentJsonFile!, 'reassignment JSON file');
  await ReassignPartitions.run(options, print, async (tool) => {
    if (action === 'list') await tool.list();
    else if (action === 'generate') {
      await tool.generate(
        readUserFile(flags.topicsToMoveJsonFile!, 'topics to move JSON file'),
        flags.brokerList!,
        !flags.disableRackAware,
      );
    } else if (action === 'execute') {
      await tool.execute(json(), {
        additional: flags.additional ?? false,
        throttle: flags.throttle ?? -1,
        logDirThrottle: flags.replicaAlterLogDirsThrottle ?? -1,
        timeoutMs: flags.timeout ?? 10_000,
      });
    } else if (action === 'verify') await tool.verify(json(), flags.preserveThrottles ?? false);
    else if (action === 'cancel') await tool.cancel(json(), flags.preserveThrottles ?? false, flags.timeout ?? 10_000);
  });
}

function checkArgs(flags: Flags): Action {
  const given = ACTIONS.filter((a) => flags[a]);
  if (given.length !== 1) throw new UsageError(`Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`);
  const action = given[0]!;
  for (const required of REQUIRED[action]) {
    if (flags[required] === undefined) throw new UsageError(`Missing required argument "[${FLAG_NAMES[required]}]"`);
  }
  for (const [key, name] of Object.entries(FLAG_NAMES) as Array<[keyof Flags, string]>) {
    if (flags[key] !== undefined && !REQUIRED[action].includes(key) && !PERMITTED[action].includes(key)) {
      throw new UsageError(`Option "[${name}]" can't be used with action "[${action}]"`);
    }
  }
  return action;
}

function longArg(flag: string): (text: string) => number {
  return (text) => {
    if (!/^-?\d+$/.test(text)) throw new UsageError(`Error: invalid --${flag} '${text}': expected a whole number`);
    return Number(text);
  };
}
