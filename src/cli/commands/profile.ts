import { resolve } from 'node:path';
import { Argument, type Command } from 'commander';
import { parseBootstrapServers } from '../../client/bootstrap.js';
import { collect } from '../../tools/common/option-parsers.js';
import { UsageError } from '../../util/errors.js';
import { parsePropertyArgs, readPropertiesFile } from '../../util/properties.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';
import {
  COMMAND_CONFIG_KEY,
  currentProfile,
  deleteProfile,
  profileNames,
  profilePath,
  readProfile,
  useProfile,
  writeProfile,
} from '../profiles/profile-store.js';

const ACTIONS = ['create', 'use', 'list', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

interface Flags {
  bootstrapServer?: string;
  commandConfig?: string;
  property?: string[];
  use?: boolean;
  output: OutputFormat;
}

const EXAMPLES = `
Examples:
  kts profile create prod --bootstrap-server kafka1:9092,kafka2:9092 --command-config ~/prod-client.properties --use
  kts profile create local --bootstrap-server localhost:9092 --property client.id=me
  kts profile use local
  kts profile list
  kts topics --list --profile prod        # or KTS_PROFILE=prod kts topics --list
  kts profile delete local

A profile is a client properties file under $XDG_CONFIG_HOME/kts/profiles (default ~/.config/kts).
Tools use the current profile when --bootstrap-server is not given; $KTS_BOOTSTRAP_SERVER still
wins over the current profile, --profile and $KTS_PROFILE win over $KTS_BOOTSTRAP_SERVER.`;

export function configure(cmd: Command): void {
  cmd
    .addArgument(new Argument('<action>', 'create, use, list or delete').choices(ACTIONS))
    .addArgument(new Argument('[name]', 'the profile'))
    .option('--bootstrap-server <list>', 'create: the brokers to connect to')
    .option('--command-config <file>', 'create: a client properties file read under the profile (security settings, ...)')
    .option('--property <key=value>', 'create: a client property kept in the profile (repeatable)', collect)
    .option('--use', 'create: make it the current profile');
  addOutputOption(cmd);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

function run(action: Action, name: string | undefined, flags: Flags): void {
  const needName = (): string => {
    if (name === undefined) throw new UsageError(`Error: kts profile ${action} needs a profile name`);
    return name;
  };
  switch (action) {
    case 'create':
      return create(needName(), flags);
    case 'use':
      useProfile(needName());
      process.stdout.write(`Now using profile ${name}.\n`);
      return;
    case 'delete':
      deleteProfile(needName());
      process.stdout.write(`Deleted profile ${name}.\n`);
      return;
    case 'list':
      return list(flags.output);
  }
}

function create(name: string, flags: Flags): void {
  if (profileNames().includes(name)) throw new UsageError(`Error: profile '${name}' already exists (kts profile delete ${name} first)`);
  const props = parsePropertyArgs(flags.property ?? []);
  if (flags.bootstrapServer !== undefined) {
    parseBootstrapServers(flags.bootstrapServer);
    props.set('bootstrap.servers', flags.bootstrapServer);
  }
  if (flags.commandConfig !== undefined) {
    const path = resolve(flags.commandConfig);
    readPropertiesFile(path);
    props.set(COMMAND_CONFIG_KEY, path);
  }
  writeProfile(name, props);
  process.stdout.write(`Created profile ${name} in ${profilePath(name)}.\n`);
  if (flags.use) {
    useProfile(name);
    process.stdout.write(`Now using profile ${name}.\n`);
  }
}

/** `* prod` for the current profile, then its bootstrap servers. */
function list(output: OutputFormat): void {
  const current = currentProfile();
  const profiles = profileNames().map((name) => ({
    name,
    current: name === current,
    bootstrapServers: readProfile(name).get('bootstrap.servers') ?? null,
  }));
  if (output === 'json') {
    printJson(profiles);
    return;
  }
  for (const p of profiles)
    process.stdout.write(`${p.current ? '*' : ' '} ${p.name}${p.bootstrapServers ? `\t${p.bootstrapServers}` : ''}\n`);
}
