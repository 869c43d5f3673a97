import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { readPropertiesFile } from '../../util/properties.js';
import { runAclCommand } from '../../tools/acls/acl-command.js';
import { collect } from '../../tools/common/option-parsers.js';
import { UsageError } from '../../util/errors.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';

interface Flags {
  bootstrapServer?: string;
  commandConfig?: string;
  add?: boolean;
  remove?: boolean;
  list?: boolean;
  topic: string[];
  group: string[];
  transactionalId: string[];
  cluster?: boolean;
  resourcePatternType: string;
  allowPrincipal: string[];
  denyPrincipal: string[];
  allowHost: string[];
  denyHost: string[];
  operation: string[];
  principal: string[];
  producer?: boolean;
  idempotent?: boolean;
  consumer?: boolean;
  force?: boolean;
}

const EXAMPLES = `
Examples:
  kts acls --bootstrap-server localhost:9092 --command-config admin.properties \\
    --add --allow-principal User:alice --operation Read --operation Write --topic orders
  kts acls --bootstrap-server localhost:9092 --add --allow-principal User:alice --operation Read --group orders-app
  kts acls --bootstrap-server localhost:9092 --add --allow-principal User:alice --producer --idempotent --topic orders
  kts acls --bootstrap-server localhost:9092 --add --allow-principal User:bob --consumer --topic orders --group billing
  kts acls --bootstrap-server localhost:9092 --list --principal User:alice
  kts acls --bootstrap-server localhost:9092 --remove --force --topic orders`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd
    .option('--add', 'add ACLs')
    .option('--remove', 'remove ACLs')
    .option('--list', 'list ACLs')
    .option('--topic <topic>', 'topic resource (repeatable)', collect, [])
    .option('--group <group>', 'consumer group resource (repeatable)', collect, [])
    .option('--transactional-id <id>', 'transactional id resource (repeatable)', collect, [])
    .option('--cluster', 'the cluster resource')
    .option('--resource-pattern-type <type>', 'literal, prefixed, any or match (any and match: --list and --remove only)', 'literal')
    .option('--allow-principal <principal>', 'principal to allow, Type:name (repeatable)', collect, [])
    .option('--deny-principal <principal>', 'principal to deny, Type:name (repeatable)', collect, [])
    .option('--allow-host <host>', 'host the allowed principals may come from (default *; repeatable)', collect, [])
    .option('--deny-host <host>', 'host the denied principals are denied from (default *; repeatable)', collect, [])
    .option(
      '--operation <operation>',
      'Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, All (default All; repeatable)',
      collect,
      [],
    )
    .option('--principal <principal>', '--list: only the ACLs of this principal (repeatable)', collect, [])
    .option('--producer', 'ACLs of a producer: WRITE, DESCRIBE and CREATE on the topics (WRITE and DESCRIBE on --transactional-id)')
    .option('--idempotent', 'with --producer: IDEMPOTENT_WRITE on the cluster')
    .option('--consumer', 'ACLs of a consumer: READ and DESCRIBE on the topics, READ on the group (needs --topic and --group)')
    .option('--force', '--remove without asking')
    .addHelpText('after', EXAMPLES)
    .action(run);
}

function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) => {
    rl.question(`${question}\n`, (answer) => {
      rl.close();
      resolve(answer.trim().toLowerCase() === 'y');
    });
    rl.once('close', () => resolve(false));
  });
}

async function run(flags: Flags): Promise<void> {
  const actions = (['add', 'remove', 'list'] as const).filter((a) => flags[a]);
  if (actions.length !== 1) throw new UsageError('Error: Command must include exactly one action: --list, --add, --remove.');
  const properties = flags.commandConfig ? readPropertiesFile(flags.commandConfig) : undefined;
  await runAclCommand(
    { bootstrapServer: flags.bootstrapServer, properties },
    {
      action: actions[0]!,
      topics: flags.topic,
      groups: flags.group,
      transactionalIds: flags.transactionalId,
      cluster: flags.cluster ?? false,
      patternType: flags.resourcePatternType,
      allowPrincipals: flags.allowPrincipal,
      denyPrincipals: flags.denyPrincipal,
      allowHosts: flags.allowHost,
      denyHosts: flags.denyHost,
      operations: flags.operation,
      principals: flags.principal,
      producer: flags.producer ?? false,
      idempotent: flags.idempotent ?? false,
      consumer: flags.consumer ?? false,
    },
    (question) => (flags.force ? Promise.resolve(true) : ask(question)),
    (text) => process.stdout.write(text),
  );
}
