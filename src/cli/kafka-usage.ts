import type { CommandSpec } from './command-spec.js';
import { buildProgram } from './program.js';

/** What Kafka 3.9's jopt-based tools print above their option table (CommandDefaultOptions.maybePrintHelpOrVersion). */
interface KafkaUsage {
  /** With `--help`. */
  description: string;
  /** With no arguments at all (the same text unless the tool has its own). */
  withoutArguments: string;
}

const usage = (description: string, withoutArguments = description): KafkaUsage => ({ description, withoutArguments });

const USAGES: Readonly<Record<string, KafkaUsage>> = {
  topics: usage('This tool helps to create, delete, describe, or change a topic.', 'Create, delete, describe, or change a topic.'),
  'console-producer': usage('This tool helps to read data from standard input and publish it to Kafka.'),
  'console-consumer': usage('This tool helps to read data from Kafka topics and outputs it to standard output.'),
  'consumer-groups': usage(
    'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.',
  ),
  configs: usage('This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip or client-metrics'),
  'get-offsets': usage('An interactive shell for getting topic-partition offsets.'),
  'delete-records': usage('This tool helps to delete records of the given partitions down to the specified offset.'),
  'broker-api-versions': usage('This tool helps to retrieve broker version information.'),
  'dump-log': usage(
    'This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.',
  ),
  'consumer-perf-test': usage('This tool is used to verify the consumer performance.'),
  acls: usage('This tool helps to manage acls on kafka.'),
};

export function kafkaUsage(command: string): KafkaUsage | undefined {
  return USAGES[command];
}

/** Kafka's headline, then the command's options (kts's layout, not jopt's table), under the script's name. */
export async function renderKafkaUsage(
  script: string,
  command: string,
  headline: string | undefined,
  commands: readonly CommandSpec[],
): Promise<string> {
  const program = await buildProgram(commands, command, { kafka: true });
  const help = (program.commands.find((c) => c.name() === command)?.helpInformation() ?? '').replace(/^Usage: kts \S+/, `Usage: ${script}`);
  return headline === undefined ? help : `${headline}\n${help}`;
}
