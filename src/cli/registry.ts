import type { CommandSpec } from './command-spec.js';

/**
 * The one declarative list of subcommands. Modules are imported only when their command
 * runs (or when completions are generated), so `kts --help` stays fast.
 */
export const SERVER_START: CommandSpec = {
  name: 'server-start',
  summary: 'Start the embedded Kafka broker (foreground, or -daemon)',
  kafkaScripts: ['kafka-server-start.sh'],
  load: () => import('./commands/server-start.js'),
};

export const COMMANDS: CommandSpec[] = [
  SERVER_START,
  {
    name: 'server-stop',
    summary: 'Stop the Kafka broker(s) kts started on this machine',
    kafkaScripts: ['kafka-server-stop.sh'],
    load: () => import('./commands/server-stop.js'),
  },
  {
    name: 'completion',
    summary: 'Print a shell completion script (bash, zsh or fish)',
    kafkaScripts: [],
    load: () => import('./commands/completion.js'),
  },
  {
    name: 'profile',
    summary: 'Create, use, list and delete named client profiles (bootstrap servers, security settings)',
    kafkaScripts: [],
    load: () => import('./commands/profile.js'),
  },
  {
    name: '__complete',
    summary: 'Topic, group or profile names for the shell completion scripts',
    kafkaScripts: [],
    hidden: true,
    load: () => import('./commands/complete.js'),
  },
  {
    name: 'zookeeper-start',
    summary: 'Start the bundled ZooKeeper-compatible server (foreground, or -daemon)',
    kafkaScripts: ['zookeeper-server-start.sh'],
    load: () => import('./commands/zookeeper-start.js'),
  },
  {
    name: 'zookeeper-stop',
    summary: 'Stop the running kts ZooKeeper server(s)',
    kafkaScripts: ['zookeeper-server-stop.sh'],
    load: () => import('./commands/zookeeper-stop.js'),
  },
  {
    name: 'cluster',
    summary: 'Start, stop (rolling) or show N local brokers and their ZooKeeper as one cluster',
    kafkaScripts: [],
    load: () => import('./commands/cluster.js'),
  },
  {
    name: 'topics',
    summary: 'Create, list, describe, alter and delete topics',
    kafkaScripts: ['kafka-topics.sh'],
    load: () => import('./commands/topics.js'),
  },
  {
    name: 'console-producer',
    summary: 'Send lines from standard input or a file to a topic',
    kafkaScripts: ['kafka-console-producer.sh'],
    load: () => import('./commands/console-producer.js'),
  },
  {
    name: 'console-consumer',
    summary: 'Print records of topics to standard output',
    kafkaScripts: ['kafka-console-consumer.sh'],
    load: () => import('./commands/console-consumer.js'),
  },
  {
    name: 'get-offsets',
    summary: 'Print the offsets of topic partitions (latest, earliest or at a time)',
    kafkaScripts: ['kafka-get-offsets.sh'],
    load: () => import('./commands/get-offsets.js'),
  },
  {
    name: 'consumer-groups',
    summary: 'List, describe, delete consumer groups and reset or delete their offsets',
    kafkaScripts: ['kafka-consumer-groups.sh'],
    load: () => import('./commands/consumer-groups.js'),
  },
  {
    name: 'configs',
    summary: 'Describe and change topic and broker configs',
    kafkaScripts: ['kafka-configs.sh'],
    load: () => import('./commands/configs.js'),
  },
  {
    name: 'acls',
    summary: 'Add, remove and list ACLs',
    kafkaScripts: ['kafka-acls.sh'],
    load: () => import('./commands/acls.js'),
  },
  {
    name: 'delete-records',
    summary: 'Delete the records of partitions below given offsets',
    kafkaScripts: ['kafka-delete-records.sh'],
    load: () => import('./commands/delete-records.js'),
  },
  {
    name: 'reassign-partitions',
    summary: 'Move partition replicas between brokers (execute, verify, cancel, list), with replication throttles',
    kafkaScripts: ['kafka-reassign-partitions.sh'],
    load: () => import('./commands/reassign-partitions.js'),
  },
  {
    name: 'leader-election',
    summary: 'Elect preferred or (unclean) any live replicas as partition leaders',
    kafkaScripts: ['kafka-leader-election.sh'],
    load: () => import('./commands/leader-election.js'),
  },
  {
    name: 'log-dirs',
    summary: "Describe the brokers' log directories and the replicas in them (JSON)",
    kafkaScripts: ['kafka-log-dirs.sh'],
    load: () => import('./commands/log-dirs.js'),
  },
  {
    name: 'replica-verification',
    summary: 'Check that the replicas of partitions hold the same records; report the largest lag',
    kafkaScripts: ['kafka-replica-verification.sh'],
    load: () => import('./commands/replica-verification.js'),
  },
  {
    name: 'zookeeper-shell',
    summary: "ZooKeeper's command-line shell (ls, get, stat, create, set, delete, deleteall), one command or a script on stdin",
    kafkaScripts: ['zookeeper-shell.sh'],
    load: () => import('./commands/zookeeper-shell.js'),
  },
  {
    name: 'broker-api-versions',
    summary: 'List the API versions each broker of the cluster supports',
    kafkaScripts: ['kafka-broker-api-versions.sh'],
    load: () => import('./commands/broker-api-versions.js'),
  },
  {
    name: 'producer-perf-test',
    summary: "Measure producer throughput and latency (Kafka's output lines)",
    kafkaScripts: ['kafka-producer-perf-test.sh'],
    load: () => import('./commands/producer-perf-test.js'),
  },
  {
    name: 'consumer-perf-test',
    summary: "Measure consumer throughput in a group (Kafka's CSV lines)",
    kafkaScripts: ['kafka-consumer-perf-test.sh'],
    load: () => import('./commands/consumer-perf-test.js'),
  },
  {
    name: 'e2e-latency',
    summary: 'Measure produce-to-consume latency, one message at a time',
    kafkaScripts: ['kafka-e2e-latency.sh'],
    load: () => import('./commands/e2e-latency.js'),
  },
  {
    name: 'verifiable-producer',
    summary: 'Produce increasing integers, printing a JSON event per outcome',
    kafkaScripts: ['kafka-verifiable-producer.sh'],
    load: () => import('./commands/verifiable-producer.js'),
  },
  {
    name: 'verifiable-consumer',
    summary: 'Consume in a group, printing JSON events (rebalances, records, commits)',
    kafkaScripts: ['kafka-verifiable-consumer.sh'],
    load: () => import('./commands/verifiable-consumer.js'),
  },
  {
    name: 'dump-log',
    summary: 'Print the batches, records and index entries of log segment files',
    kafkaScripts: ['kafka-dump-log.sh'],
    load: () => import('./commands/dump-log.js'),
  },
  {
    name: 'streams-application-reset',
    summary: "Reset a Kafka Streams application's offsets and delete its internal topics",
    kafkaScripts: ['kafka-streams-application-reset.sh'],
    load: () => import('./commands/streams-application-reset.js'),
  },
  {
    name: 'transactions',
    summary: 'List, describe and abort transactions; describe producers; find hanging transactions',
    kafkaScripts: ['kafka-transactions.sh'],
    load: () => import('./commands/transactions.js'),
  },
  {
    name: 'features',
    summary: 'Describe the feature flags brokers support and the cluster finalized',
    kafkaScripts: ['kafka-features.sh'],
    load: () => import('./commands/features.js'),
  },
];
