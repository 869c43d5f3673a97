import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { OPERATION_CODES, PATTERN_TYPE_CODES, PERMISSION_TYPE_CODES, RESOURCE_TYPE_CODES } from '../../../src/protocol/acl.js';
import { ErrorCode, errorName } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultAddPartitionsToTxnRequest } from '../../../src/protocol/generated/apis/add-partitions-to-txn.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { ZERO_UUID } from '../../../src/protocol/primitives/uuid.js';
import { runKts } from '../../helpers/kts.js';
import { needs } from '../../helpers/requirements.js';
import { defaultFetchRequest } from '../../../src/protocol/generated/apis/fetch.js';
import { defaultOffsetCommitRequest, defaultOffsetCommitRequestPartition } from '../../../src/protocol/generated/apis/offset-commit.js';
import { defaultOffsetFetchRequest } from '../../../src/protocol/generated/apis/offset-fetch.js';
import { waitUntil } from '../../helpers/wait.js';
import { fetchTopic, plainCommandConfig, produce, runProcess, startAuthorizingBroker } from './helpers.js';

const PASSWORDS = {
  admin: 'admin-pw',
  alice: 'alice-pw',
  bob: 'bob-pw',
  carol: 'carol-pw',
  dave: 'dave-pw',
  erin: 'erin-pw',
  frank: 'frank-pw',
};
describe('the ACL authorizer and kts acls', () => {
  let broker: StartedBroker;
  const commandConfig = (user: keyof typeof PASSWORDS) => plainCommandConfig(broker, user, PASSWORDS[user]);
  const acls = (user: keyof typeof PASSWORDS, ...args: string[]) =>
    runKts(['acls', '--bootstrap-server', broker.bootstrapServers, '--command-config', commandConfig(user), ...args]);
  const as = (user: keyof typeof PASSWORDS) =>
    RawKafkaConnection.open(broker.host, broker.port, {
      sasl: { mechanism: 'plain', username: user, password: PASSWORDS[user] },
      timeoutMs: 5000,
    });

  beforeAll(async () => {
    broker = await startAuthorizingBroker(PASSWORDS, { 'num.partitions': '1' });
    const admin = await as('admin');
    for (const name of ['orders', 'secret']) {
      const created = await admin.request(ApiKey.CreateTopics, 7, {
        topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 5000,
        validateOnly: false,
      });
      expect(created.topics[0]!.errorCode).toBe(ErrorCode.NONE);
    }
    admin.close();
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('adds ACLs and prints them as kafka-acls.sh does', async () => {
    const r = await acls(
      'admin',
      '--add',
      '--allow-principal',
      'User:alice',
      '--operation',
      'Write',
      '--operation',
      'Describe',
      '--topic',
      'orders',
    );
    expect(r.stderr).toBe('');
    const pattern = 'ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)';
    const write = '(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)';
    const describeAcl = '(principal=User:alice, host=*, operation=DESCRIBE, permissionType=ALLOW)';
    // Kafka 3.9 no longer lists the resource's ACLs after adding (KAFKA-15713).
    expect(r.stdout).toBe(`Adding ACLs for resource \`${pattern}\`: \n \t${write}\n\t${describeAcl} \n\n`);
    const listed = await acls('admin', '--list', '--principal', 'User:alice');
    expect(listed.stdout).toBe(
      `ACLs for principal \`User:alice\`\nCurrent ACLs for resource \`${pattern}\`: \n \t${write}\n\t${describeAcl} \n\n`,
    );
  });

  it('lets alice write where an ACL allows her, and refuses her elsewhere and bob everywhere', async () => {
    const alice = await as('alice');
    const bob = await as('bob');
    try {
      const batch = { records: [{ value: Buffer.from('x') }] };
      expect((await produce(alice, 'orders', 0, batch)).errorCode).toBe(ErrorCode.NONE);
      expect((await produce(alice, 'secret', 0, batch)).errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      expect((await produce(bob, 'orders', 0, batch)).errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      // Metadata lists only what she may describe; a named topic she may not is refused, existing or not.
      const all = await alice.request(ApiKey.Metadata, 12, { ...defaultMetadataRequest(), topics: null });
      expect(all.topics.map((t) => t.name)).toEqual(['orders']);
      const named = await bob.request(ApiKey.Metadata, 12, {
        ...defaultMetadataRequest(),
        topics: [
          { name: 'secret', topicId: ZERO_UUID },
          { name: 'nowhere', topicId: ZERO_UUID },
        ],
        allowAutoTopicCreation: true,
      });
      expect(named.topics.map((t) => t.errorCode)).toEqual([ErrorCode.TOPIC_AUTHORIZATION_FAILED, ErrorCode.TOPIC_AUTHORIZATION_FAILED]);
      // Listing ACLs needs DESCRIBE on the cluster.
      const listing = await alice.request(ApiKey.DescribeAcls, 3, {
        resourceTypeFilter: 1,
        resourceNameFilter: null,
        patternTypeFilter: 1,
        principalFilter: null,
        hostFilter: null,
        operation: 1,
        permissionType: 1,
      });
      expect(listing.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    } finally {
      alice.close();
      bob.close();
    }
  });

  it('a producer may write but not read; DENY beats ALLOW; prefixed patterns; the super user is never refused', async () => {
    await acls(
      'admin',
      '--add',
      '--allow-principal',
      'User:alice',
      '--operation',
      'Write',
      '--topic',
      'pay.',
      '--resource-pattern-type',
      'prefixed',
    );
    await acls('admin', '--add', '--deny-principal', 'User:alice', '--operation', 'Write', '--topic', 'pay.secret');
    await acls('admin', '--add', '--deny-principal', 'User:admin', '--operation', 'All', '--topic', 'pay.ok');
    const admin = await as('admin');
    const alice = await as('alice');
    try {
      for (const name of ['pay.ok', 'pay.secret']) {
        await admin.request(ApiKey.CreateTopics, 7, {
          topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 5000,
          validateOnly: false,
        });
      }
      const batch = { records: [{ value: Buffer.from('p') }] };
      expect((await produce(alice, 'pay.ok', 0, batch)).errorCode).toBe(ErrorCode.NONE);
      expect((await produce(alice, 'pay.secret', 0, batch)).errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      const read = await alice.request(ApiKey.Fetch, 12, {
        ...defaultFetchRequest(),
        maxBytes: 1 << 20,
        topics: [fetchTopic('pay.ok', [{ partition: 0, fetchOffset: 0n }])],
      });
      expect(read.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      // A DENY naming the super user changes nothing for it.
      expect((await produce(admin, 'pay.ok', 0, batch)).errorCode).toBe(ErrorCode.NONE);
    } finally {
      admin.close();
      alice.close();
    }
  });

  it('kcat as alice: produces to the topic she may write, refused on the other', needs('kcat'), async () => {
    const sasl = [
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=PLAIN',
      '-X',
      'sasl.username=alice',
      '-X',
      `sasl.password=${PASSWORDS.alice}`,
    ];
    const ok = await runProcess('kcat', ['-b', broker.bootstrapServers, ...sasl, '-P', '-t', 'orders', '-p', '0'], { input: 'by-kcat\n' });
    expect(ok.code).toBe(0);
    const denied = await runProcess('kcat', ['-b', broker.bootstrapServers, ...sasl, '-P', '-t', 'secret', '-p', '0'], { input: 'nope\n' });
    expect(denied.stderr).toContain('Topic authorization failed');
  });

  it('refuses ACL changes to a principal without ALTER on the cluster, in one line after the block it tried', async () => {
    const r = await acls('alice', '--add', '--allow-principal', 'User:alice', '--topic', 'secret');
    expect(r.code).toBe(1);
    // As Kafka's AclCommand: the resource's block is printed before its creation is refused.
    expect(r.stdout).toBe(
      'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=secret, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=ALL, permissionType=ALLOW) \n\n',
    );
    expect(r.stderr).toMatch(/^Error while executing ACL command: Cluster authorization failed[^\n]*\n$/);
  });

  it('removes ACLs, after which alice is refused again', async () => {
    const r = await acls('admin', '--remove', '--force', '--topic', 'orders');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const alice = await as('alice');
    try {
      expect((await produce(alice, 'orders', 0, { records: [{ value: Buffer.from('y') }] })).errorCode).toBe(
        ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      );
    } finally {
      alice.close();
    }
  });

  it('refuses the admin, group and offsets APIs to a principal without ACLs, each in its own error', async () => {
    const bob = await as('bob');
    try {
      const created = await bob.request(ApiKey.CreateTopics, 7, {
        topics: [{ name: 'bobs', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 5000,
        validateOnly: false,
      });
      expect(created.topics[0]!.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      const deleted = await bob.request(ApiKey.DeleteTopics, 6, {
        topics: [{ name: 'secret', topicId: ZERO_UUID }],
        topicNames: [],
        timeoutMs: 5000,
      });
      expect(deleted.responses[0]!.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      const offsets = await bob.request(ApiKey.ListOffsets, 9, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 'secret', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1 }] }],
      });
      expect(offsets.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      const configs = await bob.request(ApiKey.DescribeConfigs, 4, {
        resources: [
          { resourceType: 2, resourceName: 'secret', configurationKeys: null },
          { resourceType: 4, resourceName: String(broker.broker.brokerId), configurationKeys: null },
        ],
        includeSynonyms: false,
        includeDocumentation: false,
      });
      expect(configs.results.map((r) => r.errorCode)).toEqual([
        ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
      ]);
      const coordinator = await bob.request(ApiKey.FindCoordinator, 4, { key: '', keyType: 0, coordinatorKeys: ['team-1'] });
      expect(coordinator.coordinators[0]!.errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
      const producerId = await bob.request(ApiKey.InitProducerId, 4, {
        transactionalId: null,
        transactionTimeoutMs: 60_000,
        producerId: -1n,
        producerEpoch: -1,
      });
      expect(producerId.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      const logDirs = await bob.request(ApiKey.DescribeLogDirs, 4, { topics: null });
      expect(logDirs.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      const moved = await bob.request(ApiKey.AlterReplicaLogDirs, 2, {
        dirs: [{ path: broker.broker.logManager.logDirs[0]!, topics: [{ name: 'secret', partitions: [0] }] }],
      });
      expect(moved.results[0]!.partitions[0]!.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      const quotas = await bob.request(ApiKey.DescribeClientQuotas, 1, { components: [], strict: false });
      expect(quotas.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    } finally {
      bob.close();
    }
  });

  it('a consumer group works for kcat once bob may READ the topic and the group', needs('kcat'), async () => {
    await acls('admin', '--add', '--allow-principal', 'User:bob', '--operation', 'Read', '--topic', 'secret', '--group', 'team-1');
    const admin = await as('admin');
    try {
      expect((await produce(admin, 'secret', 0, { records: [{ value: Buffer.from('for-bob') }] })).errorCode).toBe(ErrorCode.NONE);
    } finally {
      admin.close();
    }
    const sasl = [
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=PLAIN',
      '-X',
      'sasl.username=bob',
      '-X',
      `sasl.password=${PASSWORDS.bob}`,
    ];
    const consumed = await runProcess(
      'kcat',
      ['-b', broker.bootstrapServers, ...sasl, '-G', 'team-1', '-X', 'auto.offset.reset=earliest', '-c', '1', '-q', 'secret'],
      {
        timeoutMs: 30_000,
      },
    );
    expect(consumed.stdout.toString()).toBe('for-bob\n');
    // The same consumer in a group it may not read is refused.
    const refused = await runProcess(
      'kcat',
      ['-b', broker.bootstrapServers, ...sasl, '-G', 'other', '-X', 'auto.offset.reset=earliest', '-c', '1', '-e', 'secret'],
      {
        timeoutMs: 30_000,
      },
    );
    expect(refused.stderr).toContain('Group authorization failed');
  });

  it('a transactional producer needs WRITE on its transactional id; each transaction API answers its own error', async () => {
    const carol = await as('carol');
    try {
      const coordinator = await carol.request(ApiKey.FindCoordinator, 4, { key: '', keyType: 1, coordinatorKeys: ['tx-carol'] });
      expect(coordinator.coordinators[0]!.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
      const init = await carol.request(ApiKey.InitProducerId, 4, {
        transactionalId: 'tx-carol',
        transactionTimeoutMs: 60_000,
        producerId: -1n,
        producerEpoch: -1,
      });
      expect(init.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
      const ended = await carol.request(ApiKey.EndTxn, 3, {
        transactionalId: 'tx-carol',
        producerId: 0n,
        producerEpoch: 0,
        committed: true,
      });
      expect(ended.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
      const added = await carol.request(ApiKey.AddPartitionsToTxn, 3, {
        ...defaultAddPartitionsToTxnRequest(),
        v3AndBelowTransactionalId: 'tx-carol',
        v3AndBelowTopics: [{ name: 'orders', partitions: [0] }],
      });
      expect(added.resultsByTopicV3AndBelow[0]!.resultsByPartition[0]!.partitionErrorCode).toBe(
        ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      );
      // v4 comes from brokers verifying a transaction (KIP-890): it needs CLUSTER_ACTION.
      const verified = await carol.request(ApiKey.AddPartitionsToTxn, 4, defaultAddPartitionsToTxnRequest());
      expect(verified.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      const markers = await carol.request(ApiKey.WriteTxnMarkers, 1, {
        markers: [
          {
            producerId: 1n,
            producerEpoch: 0,
            transactionResult: true,
            topics: [{ name: 'orders', partitionIndexes: [0] }],
            coordinatorEpoch: 0,
          },
        ],
      });
      expect(markers.markers[0]!.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    } finally {
      carol.close();
    }

    await acls('admin', '--add', '--allow-principal', 'User:carol', '--operation', 'Write', '--transactional-id', 'tx-carol');
    await acls('admin', '--add', '--allow-principal', 'User:carol', '--operation', 'Write', '--topic', 'orders');
    const kafka = (user: keyof typeof PASSWORDS) =>
      new Kafka({
        clientId: `txn-${user}`,
        brokers: [broker.bootstrapServers],
        sasl: { mechanism: 'plain', username: user, password: PASSWORDS[user] },
        logLevel: logLevel.NOTHING,
        retry: { retries: 2 },
      });
    const transaction = async (user: keyof typeof PASSWORDS, transactionalId: string) => {
      const producer = kafka(user).producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      try {
        const txn = await producer.transaction();
        await txn.send({ topic: 'orders', messages: [{ value: `from ${user}` }] });
        await txn.commit();
      } finally {
        await producer.disconnect();
      }
    };
    await transaction('carol', 'tx-carol');
    await transaction('admin', 'tx-admin');
    // With another transactional id carol is refused at FindCoordinator (TRANSACTIONAL_ID_AUTHORIZATION_FAILED
    // above), which kafkajs reports as not finding the coordinator.
    await expect(transaction('carol', 'tx-other')).rejects.toMatchObject({ name: 'KafkaJSGroupCoordinatorNotFound' });

    const carolAgain = await as('carol');
    try {
      const listed = await carolAgain.request(ApiKey.ListTransactions, 0, { stateFilters: [], producerIdFilters: [], durationFilter: -1n });
      expect(listed.transactionStates.map((t) => t.transactionalId)).toEqual(['tx-carol']);
      const described = await carolAgain.request(ApiKey.DescribeTransactions, 0, { transactionalIds: ['tx-carol', 'tx-admin'] });
      expect(described.transactionStates.map((t) => [t.transactionalId, t.errorCode, t.transactionState])).toEqual([
        ['tx-carol', ErrorCode.NONE, 'CompleteCommit'],
        ['tx-admin', ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, ''],
      ]);
      // DescribeProducers needs READ on the topic, which WRITE does not imply.
      const producers = await carolAgain.request(ApiKey.DescribeProducers, 0, { topics: [{ name: 'orders', partitionIndexes: [0] }] });
      expect(producers.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    } finally {
      carolAgain.close();
    }
  });

  it('--producer and --consumer grant what those roles need, printed as kafka-acls.sh prints them, and they are enough', async () => {
    const added = await acls(
      'admin',
      '--add',
      '--allow-principal',
      'User:dave',
      '--producer',
      '--idempotent',
      '--topic',
      'dave-events',
      '--transactional-id',
      'dave-tx',
    );
    expect(added.stderr).toBe('');
    const topic = 'ResourcePattern(resourceType=TOPIC, name=dave-events, patternType=LITERAL)';
    const txnId = 'ResourcePattern(resourceType=TRANSACTIONAL_ID, name=dave-tx, patternType=LITERAL)';
    const cluster = 'ResourcePattern(resourceType=CLUSTER, name=kafka-cluster, patternType=LITERAL)';
    const acl = (operation: string) => `(principal=User:dave, host=*, operation=${operation}, permissionType=ALLOW)`;
    const block = (header: string, resource: string, operations: string[]) =>
      `${header} for resource \`${resource}\`: \n ${operations.map((o) => `\t${acl(o)}`).join('\n')} \n\n`;
    expect(added.stdout).toBe(
      block('Adding ACLs', topic, ['WRITE', 'DESCRIBE', 'CREATE']) +
        block('Adding ACLs', txnId, ['WRITE', 'DESCRIBE']) +
        block('Adding ACLs', cluster, ['IDEMPOTENT_WRITE']),
    );
    expect((await acls('admin', '--list', '--principal', 'User:dave')).stdout).toBe(
      'ACLs for principal `User:dave`\n' +
        block('Current ACLs', topic, ['WRITE', 'DESCRIBE', 'CREATE']) +
        block('Current ACLs', txnId, ['WRITE', 'DESCRIBE']) +
        block('Current ACLs', cluster, ['IDEMPOTENT_WRITE']),
    );
    const consumerAdded = await acls(
      'admin',
      '--add',
      '--allow-principal',
      'User:dave',
      '--consumer',
      '--topic',
      'dave-events',
      '--group',
      'dave-group',
    );
    const group = 'ResourcePattern(resourceType=GROUP, name=dave-group, patternType=LITERAL)';
    expect(consumerAdded.stdout).toContain(block('Adding ACLs', topic, ['READ', 'DESCRIBE']));
    expect(consumerAdded.stdout).toContain(block('Adding ACLs', group, ['READ']));

    // dave creates the topic, produces in a transaction and consumes in his group with nothing else granted.
    const kafka = new Kafka({
      clientId: 'dave',
      brokers: [broker.bootstrapServers],
      sasl: { mechanism: 'plain', username: 'dave', password: PASSWORDS.dave },
      logLevel: logLevel.NOTHING,
      retry: { retries: 2 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'dave-events', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({ transactionalId: 'dave-tx', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic: 'dave-events', messages: [{ value: 'one' }] });
    await txn.commit();
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'dave-group' });
    await consumer.connect();
    await consumer.subscribe({ topics: ['dave-events'], fromBeginning: true });
    const value = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) });
    });
    await consumer.disconnect();
    expect(value).toBe('one');

    // --remove --consumer takes away exactly the consumer's ACLs (DESCRIBE is shared with the producer's).
    const removed = await acls(
      'admin',
      '--remove',
      '--force',
      '--allow-principal',
      'User:dave',
      '--consumer',
      '--topic',
      'dave-events',
      '--group',
      'dave-group',
    );
    expect(removed.stdout).toBe('');
    const left = await acls('admin', '--list', '--topic', 'dave-events', '--group', 'dave-group');
    expect(left.stdout).toBe(block('Current ACLs', topic, ['WRITE', 'CREATE']));
  });

  it.each([
    [
      ['--add', '--allow-principal', 'User:dave', '--consumer', '--topic', 't'],
      'With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.',
    ],
    [
      ['--add', '--allow-principal', 'User:dave', '--consumer', '--topic', 't', '--group', 'g', '--cluster'],
      'With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.',
    ],
    [['--add', '--allow-principal', 'User:dave', '--producer', '--group', 'g'], 'With --producer you must specify a --topic'],
    [
      ['--add', '--allow-principal', 'User:dave', '--producer', '--topic', 't', '--operation', 'Read'],
      'Option "[producer]" can\'t be used with option "[operation]"',
    ],
    [
      ['--add', '--deny-principal', 'User:dave', '--consumer', '--topic', 't', '--group', 'g'],
      'Option "[consumer]" can\'t be used with option "[deny-principal]"',
    ],
    [
      ['--add', '--allow-principal', 'User:dave', '--idempotent', '--topic', 't'],
      'The --idempotent option is only available if --producer is set',
    ],
    [['--list', '--producer', '--topic', 't'], 'Option "[list]" can\'t be used with option "[producer]"'],
  ])('kts acls %j is refused in one line as kafka-acls.sh refuses it', async (args, message) => {
    const r = await acls('admin', ...args);
    expect(r.code).toBe(2); // kts's usage exit; the kafka-acls.sh shim exits 1 as Kafka
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.stdout).toBe('');
  });

  it("answers authorized operations as the principal's, DescribeTopicPartitions refusals and OffsetDelete's READ check as Kafka", async () => {
    const bits = (...codes: number[]) => codes.reduce((b, c) => b | (1 << c), 0);
    const [READ, DELETE, DESCRIBE] = [3, 6, 8];
    const NOT_ANSWERED = -2147483648;
    await acls('admin', '--add', '--allow-principal', 'User:erin', '--operation', 'Read', '--topic', 'orders');
    await acls(
      'admin',
      '--add',
      '--allow-principal',
      'User:erin',
      '--operation',
      'Describe',
      '--operation',
      'Delete',
      '--group',
      'erin-group',
    );
    const admin = await as('admin');
    const erin = await as('erin');
    try {
      const metadata = () =>
        erin.request(ApiKey.Metadata, 10, {
          ...defaultMetadataRequest(),
          topics: ['orders', 'secret'].map((name) => ({ name, topicId: ZERO_UUID })),
          allowAutoTopicCreation: false,
          includeClusterAuthorizedOperations: true,
          includeTopicAuthorizedOperations: true,
        });
      const before = await metadata();
      // Without DESCRIBE on the cluster its operations are 0; READ implies DESCRIBE on the topic.
      expect(before.clusterAuthorizedOperations).toBe(0);
      expect(before.topics.map((t) => [t.name, t.errorCode, t.topicAuthorizedOperations])).toEqual([
        ['orders', ErrorCode.NONE, bits(READ, DESCRIBE)],
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, NOT_ANSWERED],
      ]);
      await acls('admin', '--add', '--allow-principal', 'User:erin', '--operation', 'Describe', '--cluster');
      expect((await metadata()).clusterAuthorizedOperations).toBe(bits(DESCRIBE));
      const cluster = await erin.request(ApiKey.DescribeCluster, 0, { includeClusterAuthorizedOperations: true, endpointType: 1 });
      expect(cluster.clusterAuthorizedOperations).toBe(bits(DESCRIBE));
      // The super user may do everything the cluster supports.
      const adminCluster = await admin.request(ApiKey.DescribeCluster, 0, { includeClusterAuthorizedOperations: true, endpointType: 1 });
      expect(adminCluster.clusterAuthorizedOperations).toBe(bits(5, 7, 8, 9, 10, 11, 12));

      // DescribeTopicPartitions: refused topics after the others, whether they exist or not.
      const described = await erin.request(ApiKey.DescribeTopicPartitions, 0, {
        topics: ['secret', 'no-such-topic', 'orders'].map((name) => ({ name })),
        responsePartitionLimit: 100,
        cursor: null,
      });
      expect(described.topics.map((t) => [t.name, t.errorCode, t.topicId, t.partitions.length, t.topicAuthorizedOperations])).toEqual([
        ['orders', ErrorCode.NONE, expect.not.stringMatching(ZERO_UUID), 1, bits(READ, DESCRIBE)],
        ['no-such-topic', ErrorCode.TOPIC_AUTHORIZATION_FAILED, ZERO_UUID, 0, NOT_ANSWERED],
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, ZERO_UUID, 0, NOT_ANSWERED],
      ]);
      const listed = await erin.request(ApiKey.DescribeTopicPartitions, 0, { topics: [], responsePartitionLimit: 100, cursor: null });
      expect(listed.topics.map((t) => t.name)).toEqual(['orders']);

      // OffsetDelete needs READ on each topic besides DELETE on the group.
      const committed = await admin.request(ApiKey.OffsetCommit, 8, {
        ...defaultOffsetCommitRequest(),
        groupId: 'erin-group',
        topics: ['orders', 'secret'].map((name) => ({
          name,
          partitions: [{ ...defaultOffsetCommitRequestPartition(), partitionIndex: 0, committedOffset: 1n }],
        })),
      });
      expect(committed.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))).toEqual([0, 0]);
      const groups = await erin.request(ApiKey.DescribeGroups, 5, { groups: ['erin-group'], includeAuthorizedOperations: true });
      expect(groups.groups[0]).toMatchObject({ errorCode: ErrorCode.NONE, authorizedOperations: bits(DELETE, DESCRIBE) });
      const deleted = await erin.request(ApiKey.OffsetDelete, 0, {
        groupId: 'erin-group',
        topics: ['orders', 'secret'].map((name) => ({ name, partitions: [{ partitionIndex: 0 }] })),
      });
      expect(deleted.errorCode).toBe(ErrorCode.NONE);
      expect(deleted.topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)])).toEqual([
        ['secret', [ErrorCode.TOPIC_AUTHORIZATION_FAILED]],
        ['orders', [ErrorCode.NONE]],
      ]);
      const left = await admin.request(ApiKey.OffsetFetch, 8, {
        ...defaultOffsetFetchRequest(),
        groups: [{ groupId: 'erin-group', memberId: null, memberEpoch: -1, topics: null }],
      });
      expect(left.groups[0]!.topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)])).toEqual([['secret', [1n]]]);
    } finally {
      admin.close();
      erin.close();
    }
  });

  it('OffsetCommit and TxnOffsetCommit commit the topics the principal may READ; each partition of the others is refused, after them', async () => {
    await acls('admin', '--add', '--allow-principal', 'User:frank', '--operation', 'Read', '--topic', 'orders', '--group', 'frank-group');
    await acls('admin', '--add', '--allow-principal', 'User:frank', '--operation', 'Write', '--transactional-id', 'frank-tx');
    const frank = await as('frank');
    const admin = await as('admin');
    try {
      const topics = (offset: bigint) =>
        ['secret', 'orders'].map((name) => ({
          name,
          partitions: [0, 1].map((partitionIndex) => ({
            ...defaultOffsetCommitRequestPartition(),
            partitionIndex,
            committedOffset: offset,
          })),
        }));
      const errors = (r: { topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] }) =>
        r.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex} ${errorName(p.errorCode)}`));
      // orders has one partition: orders-1 is the coordinator's answer; secret's partitions are refused unchecked, after.
      const readableCommitted = [
        'orders-0 NONE',
        'orders-1 UNKNOWN_TOPIC_OR_PARTITION',
        'secret-0 TOPIC_AUTHORIZATION_FAILED',
        'secret-1 TOPIC_AUTHORIZATION_FAILED',
      ];
      const allRefused = (error: string) => ['secret-0', 'secret-1', 'orders-0', 'orders-1'].map((p) => `${p} ${error}`);
      const committedOffsets = async () => {
        const fetched = await admin.request(ApiKey.OffsetFetch, 8, {
          ...defaultOffsetFetchRequest(),
          groups: [{ groupId: 'frank-group', memberId: null, memberEpoch: -1, topics: null }],
        });
        return fetched.groups[0]!.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex} ${p.committedOffset}`));
      };

      const commit = (groupId: string) =>
        frank.request(ApiKey.OffsetCommit, 8, { ...defaultOffsetCommitRequest(), groupId, topics: topics(3n) });
      expect(errors(await commit('frank-group'))).toEqual(readableCommitted);
      expect(await committedOffsets()).toEqual(['orders-0 3']);
      expect(errors(await commit('other'))).toEqual(allRefused('GROUP_AUTHORIZATION_FAILED'));

      // FindCoordinator creates the transaction state topic; until it is led, InitProducerId is NOT_COORDINATOR.
      await frank.request(ApiKey.FindCoordinator, 4, { key: '', keyType: 1, coordinatorKeys: ['frank-tx'] });
      const { producerId, producerEpoch } = await waitUntil(async () => {
        const init = await frank.request(ApiKey.InitProducerId, 4, {
          transactionalId: 'frank-tx',
          transactionTimeoutMs: 60_000,
          producerId: -1n,
          producerEpoch: -1,
        });
        return init.errorCode === ErrorCode.NONE && init;
      }, 'a producer id for frank-tx');
      const txn = { transactionalId: 'frank-tx', groupId: 'frank-group', producerId, producerEpoch };
      expect((await frank.request(ApiKey.AddOffsetsToTxn, 3, txn)).errorCode).toBe(ErrorCode.NONE);
      const txnCommit = (transactionalId: string) =>
        frank.request(ApiKey.TxnOffsetCommit, 3, {
          ...txn,
          transactionalId,
          generationId: -1,
          memberId: '',
          groupInstanceId: null,
          topics: topics(5n),
        });
      expect(errors(await txnCommit('frank-tx'))).toEqual(readableCommitted);
      expect(errors(await txnCommit('other-tx'))).toEqual(allRefused('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'));
      expect((await frank.request(ApiKey.EndTxn, 3, { ...txn, committed: true })).errorCode).toBe(ErrorCode.NONE);
      await waitUntil(async () => (await committedOffsets()).includes('orders-0 5'), "the transaction's offset to be committed");
      expect(await committedOffsets()).toEqual(['orders-0 5']);
    } finally {
      frank.close();
      admin.close();
    }
  });

  it('CreateAcls and DeleteAcls answer each creation and filter in its place, an invalid one INVALID_REQUEST among valid ones', async () => {
    const admin = await as('admin');
    try {
      const acl = (name: string, operation: number) => ({
        resourceType: RESOURCE_TYPE_CODES.TOPIC,
        resourceName: name,
        resourcePatternType: PATTERN_TYPE_CODES.LITERAL,
        principal: 'User:grace',
        host: '*',
        operation,
        permissionType: PERMISSION_TYPE_CODES.ALLOW,
      });
      const created = await admin.request(ApiKey.CreateAcls, 3, {
        creations: [acl('g-1', OPERATION_CODES.READ), acl('g-2', OPERATION_CODES.ANY), acl('g-3', OPERATION_CODES.WRITE)],
      });
      expect(created.results.map((r) => errorName(r.errorCode))).toEqual(['NONE', 'INVALID_REQUEST', 'NONE']);
      const filter = (name: string, resourceType: number) => ({
        resourceTypeFilter: resourceType,
        resourceNameFilter: name,
        patternTypeFilter: PATTERN_TYPE_CODES.LITERAL,
        principalFilter: null,
        hostFilter: null,
        operation: OPERATION_CODES.ANY,
        permissionType: PERMISSION_TYPE_CODES.ANY,
      });
      const deleted = await admin.request(ApiKey.DeleteAcls, 3, {
        filters: [filter('g-3', RESOURCE_TYPE_CODES.TOPIC), filter('g-1', 99), filter('g-1', RESOURCE_TYPE_CODES.TOPIC)],
      });
      expect(deleted.filterResults.map((r) => [errorName(r.errorCode), r.matchingAcls.map((a) => [a.resourceName, a.operation])])).toEqual([
        ['NONE', [['g-3', OPERATION_CODES.WRITE]]],
        ['INVALID_REQUEST', []],
        ['NONE', [['g-1', OPERATION_CODES.READ]]],
      ]);
    } finally {
      admin.close();
    }
  });

  it('keeps ACLs across a restart', async () => {
    await acls(
      'admin',
      '--add',
      '--allow-principal',
      'User:bob',
      '--operation',
      'Read',
      '--group',
      'team',
      '--resource-pattern-type',
      'prefixed',
    );
    const config = broker.broker.config().layers.static;
    await broker.broker.stop();
    const again = await startBroker({ logDir: broker.logDir, config: Object.fromEntries([...config].filter(([k]) => k !== 'log.dirs')) });
    try {
      const described = await again.broker.acls!.describe({
        pattern: { resourceType: 'GROUP', name: null, patternType: 'PREFIXED' },
        entry: { principal: null, host: null, operation: 'ANY', permissionType: 'ANY' },
      });
      expect(described).toEqual([
        {
          pattern: { resourceType: 'GROUP', name: 'team', patternType: 'PREFIXED' },
          entry: { principal: 'User:bob', host: '*', operation: 'READ', permissionType: 'ALLOW' },
        },
      ]);
    } finally {
      await again.stop();
    }
  });
});
