import type { Command } from 'commander';
import { collect, intOption } from '../../tools/common/option-parsers.js';
import { alterTopics } from '../../tools/topics/alter.js';
import { createTopic } from '../../tools/topics/create.js';
import { deleteTopics } from '../../tools/topics/delete.js';
import { describeTopics } from '../../tools/topics/describe.js';
import { reportJson, reportText, selectReports } from '../../tools/topics/describe-report.js';
import { matchingTopics } from '../../tools/topics/matching-topics.js';
import { COLLISION_WARNING, hasCollisionChars } from '../../tools/topics/topic-name.js';
import { withTopicsCluster, type TopicsCluster } from '../../tools/topics/topics-cluster.js';
import { TOPIC_ID_WINS, validateTopicsFlags, type TopicsFlags, type TopicsRequest } from '../../tools/topics/topics-options.js';
import { KtsError } from '../../util/errors.js';
import { MissingTopicError, TOPIC_COMMAND_ERROR } from '../../tools/topics/topic-errors.js';
import { EXIT_RUNTIME } from '../errors.js';
import { asKafkaScript } from '../kafka-script.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';

interface Flags extends TopicsFlags {
  bootstrapServer?: string;
  commandConfig?: string;
  output: OutputFormat;
}

const EXAMPLES = `
Examples:
  kts topics --create --topic orders --partitions 3 --config retention.ms=86400000
  kts topics --list --exclude-internal
  kts topics --describe --topic 'orders|payments'
  kts topics --describe --topic-id 3wXG7l0YSzOQ2cAzbn4x5g
  kts topics --describe --under-replicated-partitions
  kts topics --alter --topic orders --partitions 6
  kts topics --delete --topic 'test-.*'`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd
    .option('--create', 'create a new topic')
    .option('--list', 'list all topics, sorted')
    .option('--describe', 'describe the given topics (all topics without --topic)')
    .option('--alter', 'increase the number of partitions (topic configs: kts configs)')
    .option('--delete', 'delete the matching topics')
    .option('--topic <topic>', 'topic to act on; a full-match regex except with --create (commas mean "or")')
    .option('--topic-id <id>', 'describe/delete: the topic with this id (as --describe prints it); wins over --topic')
    .option('--partitions <n>', 'create: partition count (default: broker num.partitions); alter: new total', intOption())
    .option('--replication-factor <n>', 'create: replicas per partition (default: broker setting)', intOption())
    .option('--replica-assignment <list>', 'broker ids per partition: 1:2,2:3 (partitions by commas, replicas by colons)')
    .option('--config <name=value>', 'create: topic config override (repeatable)', collect)
    .option('--delete-config <name>', 'refused, as by Kafka with --bootstrap-server: use kts configs --alter --delete-config', collect)
    .option('--if-exists', 'alter/delete/describe: do nothing when the topic does not exist')
    .option('--if-not-exists', 'create: do nothing when the topic already exists')
    .option('--exclude-internal', 'leave out internal topics (__consumer_offsets, ...)')
    .option('--under-replicated-partitions', 'describe: only partitions whose ISR is smaller than the replica set')
    .option('--unavailable-partitions', 'describe: only partitions without a live leader')
    .option('--under-min-isr-partitions', 'describe: only partitions whose ISR is below min.insync.replicas')
    .option('--at-min-isr-partitions', 'describe: only partitions whose ISR equals min.insync.replicas')
    .option('--topics-with-overrides', 'describe: only topics with non-default configs, without partitions')
    .option(
      '--partition-size-limit-per-response <n>',
      'describe: partitions per DescribeTopicPartitions response (default: 2000)',
      intOption(-(2 ** 31), 2 ** 31 - 1),
    );
  addOutputOption(cmd);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  const kafka = asKafkaScript();
  // Kafka's TopicCommand prints its notes and its runtime errors on stdout.
  const notes = kafka ? process.stdout : process.stderr;
  try {
    const req = validateTopicsFlags(flags);
    if (req.topicId !== undefined && flags.topic !== undefined) notes.write(`${TOPIC_ID_WINS}\n`);
    const properties = clientProperties(flags.commandConfig);
    const connect = { bootstrapServer: flags.bootstrapServer, properties };
    await withTopicsCluster(connect, (cluster) => act(cluster, req, flags.output, notes));
  } catch (err) {
    if (!kafka || !(err instanceof KtsError) || !err.message.startsWith(TOPIC_COMMAND_ERROR)) throw err;
    process.stdout.write(`${err instanceof MissingTopicError ? err.kafkaMessage : err.message}\n`);
    process.exitCode = EXIT_RUNTIME;
  }
}

async function act(cluster: TopicsCluster, req: TopicsRequest, output: OutputFormat, notes: NodeJS.WritableStream): Promise<void> {
  const json = output === 'json';
  switch (req.action) {
    case 'list': {
      const topics = matchingTopics(await cluster.metadata(), req.topic, req.excludeInternal).map((t) => t.name);
      // Kafka prints the joined names with println, so an empty list is one empty line.
      if (json) printJson(topics);
      else process.stdout.write(`${topics.join('\n')}\n`);
      return;
    }
    case 'create': {
      const topic = req.topic!;
      if (hasCollisionChars(topic)) notes.write(`${COLLISION_WARNING}\n`);
      const outcome = await createTopic(cluster, { ...req, topic });
      if (json) printJson({ topic, created: outcome === 'created' });
      else if (outcome === 'created') process.stdout.write(`Created topic ${topic}.\n`);
      return;
    }
    case 'alter':
      await alterTopics(cluster, { ...req, partitions: req.partitions! });
      return;
    case 'delete': {
      const deleted = await deleteTopics(cluster, req);
      if (json) printJson({ deleted });
      return;
    }
    case 'describe': {
      const { topics, liveBrokers } = await describeTopics(cluster, req);
      const reports = selectReports(topics, { ...req, liveBrokers });
      if (json) printJson(reportJson(reports));
      else process.stdout.write(reportText(reports));
      return;
    }
  }
}
