import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { encodeTransactionLogKey } from '../../../src/protocol/generated/transaction-coordinator/transaction-log-key.js';
import { encodeTransactionLogValue } from '../../../src/protocol/generated/transaction-coordinator/transaction-log-value.js';
import { Writer } from '../../../src/protocol/primitives/writer.js';
import { runShim } from '../../helpers/kts.js';
import { connect, produce } from '../broker/helpers.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

/** Options Kafka's scripts pass that kts once refused, run as a user would against the embedded broker. */
describe("Kafka 3.9's options of the everyday tools", () => {
  let broker: StartedBroker;
  let tools: Tools;

  beforeAll(async () => {
    broker = await startBroker();
    tools = toolsAgainst(broker);
    await tools.kts(['topics', '--create', '--topic', 'numbers']);
    // 42 and 256 as 4-byte big-endian ints, one per line (the line reader decodes UTF-8, so no high bytes).
    await tools.kts(['console-producer', '--topic', 'numbers'], Buffer.from([0, 0, 0, 42, 10, 0, 0, 1, 0, 10]));
  });
  afterAll(() => broker?.stop());

  it('console-consumer --value-deserializer, --max-messages -1, --enable-systest-events, max.poll.records without a warning', async () => {
    const r = await tools.consume(
      'numbers',
      '--value-deserializer',
      'org.apache.kafka.common.serialization.IntegerDeserializer',
      '--max-messages',
      '-1',
      '--enable-systest-events',
      '--consumer-property',
      'max.poll.records=10',
    );
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '42\n256\nshutdown_complete\n', 'Processed a total of 2 messages\n']);
  });

  it('console-consumer --max-messages 0 prints nothing, as Kafka', async () => {
    const r = await tools.consume('numbers', '--max-messages', '0');
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', 'Processed a total of 0 messages\n']);
  });

  it('console-consumer --formatter NoOpMessageFormatter counts without printing; the old name warns as Kafka', async () => {
    const r = await tools.consume('numbers', '--formatter', 'kafka.tools.NoOpMessageFormatter');
    expect([r.code, r.stdout]).toEqual([0, '']);
    expect(r.stderr).toBe(
      'WARNING: kafka.tools.NoOpMessageFormatter is deprecated and will be removed in the next major release. Please use org.apache.kafka.tools.consumer.NoOpMessageFormatter instead\nProcessed a total of 2 messages\n',
    );
  });

  it('console-consumer: a value the deserializer cannot read ends the run in one line', async () => {
    const r = await tools.consume('numbers', '--value-deserializer', 'org.apache.kafka.common.serialization.LongDeserializer');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error processing message, terminating consumer process: Size of data received by LongDeserializer is not 8',
    );
  });

  it("console-producer --line-reader (Kafka's default class) and --socket-buffer-size are accepted", async () => {
    const r = await tools.kts(
      [
        'console-producer',
        '--topic',
        'lines',
        '--line-reader',
        'kafka.tools.ConsoleProducer$LineMessageReader',
        '--socket-buffer-size',
        '102400',
      ],
      'a\n',
    );
    expect([r.code, r.stderr]).toEqual([0, '']);
    const other = await tools.kts(['console-producer', '--topic', 'lines', '--line-reader', 'com.example.CsvReader'], 'a\n');
    expect([other.code, other.stderr]).toEqual([
      2,
      "Error: --line-reader 'com.example.CsvReader' is not supported: kts reads lines as Kafka's kafka.tools.ConsoleProducer$LineMessageReader\n",
    ]);
  });

  it("topics --delete-config is refused with Kafka's message", async () => {
    const r = await tools.kts(['topics', '--alter', '--topic', 'numbers', '--partitions', '2', '--delete-config', 'retention.ms']);
    expect([r.code, r.stderr]).toEqual([2, 'Option "[delete-config]" can\'t be used with option "[bootstrap-server]"\n']);
  });

  it('consumer-groups --list --type [--state]: the TYPE column, filtered by type', async () => {
    await tools.consume('numbers', '--group', 'typed');
    const r = await tools.kts(['consumer-groups', '--list', '--type', '--state']);
    expect([r.code, r.stdout]).toEqual([
      0,
      `${'GROUP'.padEnd(25)} ${'TYPE'.padEnd(20)} ${'STATE'.padEnd(20)}\n${'typed'.padEnd(25)} ${'Classic'.padEnd(20)} ${'Empty'.padEnd(20)}\n`,
    ]);
    const consumerOnly = await tools.kts(['consumer-groups', '--list', '--type', 'consumer']);
    expect([consumerOnly.code, consumerOnly.stdout]).toEqual([0, `${'GROUP'.padEnd(25)} ${'TYPE'.padEnd(20)}\n`]);
  });

  it('configs --entity-type broker-loggers and client-metrics reach the broker, which answers that it has none', async () => {
    const loggers = await tools.kts(['configs', '--describe', '--broker-logger', '0']);
    expect([loggers.code, loggers.stderr]).toEqual([1, 'Error while executing config command: Unsupported resource type: BROKER_LOGGER\n']);
    const metrics = await tools.kts(['configs', '--describe', '--entity-type', 'client-metrics', '--entity-name', 'm']);
    expect(metrics.code).toBe(1);
    expect(metrics.stderr).toMatch(/^Error while executing config command: /);
  });

  it("configs --entity-type ips: Kafka's checks, then the broker's answer (the embedded one keeps no IP quotas)", async () => {
    const badName = await tools.kts(['configs', '--alter', '--ip', 'not_a_host!', '--add-config', 'connection_creation_rate=10']);
    expect([badName.code, badName.stderr]).toEqual([
      2,
      'The entity name for ips must be a valid IP or resolvable host, but it is: not_a_host!\n',
    ]);
    const badKey = await tools.kts(['configs', '--alter', '--ip', '10.0.0.1', '--add-config', 'producer_byte_rate=10,x=1']);
    expect([badKey.code, badKey.stderr]).toEqual([
      2,
      "Only connection quota configs can be added for 'ips' using --bootstrap-server. Unexpected config names: producer_byte_rate,x\n",
    ]);
    const refused = await tools.kts(['configs', '--alter', '--ip', '10.0.0.1', '--add-config', 'connection_creation_rate=10']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error while executing config command: .*IP/);
    const loggers = await tools.kts(['configs', '--describe', '--entity-type', 'broker-loggers']);
    expect([loggers.code, loggers.stderr]).toEqual([2, 'an entity name must be specified with --describe of broker-loggers\n']);
  });

  it('configs --bootstrap-controller answers that kts clusters run in ZooKeeper mode', async () => {
    const r = await tools.kts(['configs', '--describe', '--topic', 'numbers', '--bootstrap-controller', 'localhost:9093']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('You cannot specify both --bootstrap-controller and --bootstrap-server.\n');
  });
});

/** The coordinators' record formatters over what the broker itself wrote. */
describe("console-consumer's formatters of __consumer_offsets", () => {
  let broker: StartedBroker;
  let tools: Tools;

  beforeAll(async () => {
    broker = await startBroker();
    tools = toolsAgainst(broker);
  });
  afterAll(() => broker?.stop());

  it("OffsetsMessageFormatter and GroupMetadataMessageFormatter read the broker's own commits and group metadata", async () => {
    await tools.kts(['console-producer', '--topic', 'numbers'], 'a\nb\n');
    await tools.consume('numbers', '--group', 'decoded');
    const offsetsFormatter = 'org.apache.kafka.tools.consumer.OffsetsMessageFormatter';
    const offsets = await tools.consume('__consumer_offsets', '--formatter', offsetsFormatter);
    expect(offsets.code).toBe(0);
    const commits = offsets.stdout
      .split('\n')
      .filter((line) => line.includes('"group":"decoded"'))
      .map((line) => JSON.parse(line));
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.at(-1)).toEqual({
      key: { version: 1, data: { group: 'decoded', topic: 'numbers', partition: 0 } },
      value: { version: 3, data: { offset: 2, leaderEpoch: expect.any(Number), metadata: '', commitTimestamp: expect.any(Number) } },
    });
    // No group metadata record gets through this formatter.
    expect(offsets.stdout).not.toContain('"protocolType"');

    const groups = await tools.consume(
      '__consumer_offsets',
      '--formatter',
      'kafka.coordinator.group.GroupMetadataManager$GroupMetadataMessageFormatter',
    );
    expect(groups.code).toBe(0);
    expect(groups.stderr).toMatch(
      /^WARNING: kafka\.coordinator\.group\.GroupMetadataManager\$GroupMetadataMessageFormatter is deprecated and will be removed in the next major release\. Please use org\.apache\.kafka\.tools\.consumer\.GroupMetadataMessageFormatter instead\n/,
    );
    const metadata = groups.stdout
      .split('\n')
      .filter((line) => line.includes('"group":"decoded"'))
      .map((line) => JSON.parse(line));
    expect(metadata.length).toBeGreaterThan(0);
    expect(metadata.every((m) => m.key.version === 2 && m.key.data.group === 'decoded')).toBe(true);
    expect(metadata.some((m) => m.value?.data.protocolType === 'consumer')).toBe(true);
    expect(groups.stdout).not.toContain('"commitTimestamp"');
  });

  it("TransactionLogMessageFormatter through kafka-console-consumer.sh prints a __transaction_state record as Kafka's JSON", async () => {
    // The embedded broker has no transaction coordinator: the record Kafka's would write goes to a topic of its own.
    await tools.kts(['topics', '--create', '--topic', 'transaction-records']);
    const key = new Writer();
    key.int16(0);
    encodeTransactionLogKey(key, { transactionalId: 'tx-1' }, 0);
    const value = new Writer();
    value.int16(0);
    encodeTransactionLogValue(
      value,
      {
        producerId: 1000n,
        producerEpoch: 2,
        transactionTimeoutMs: 60_000,
        transactionStatus: 1,
        transactionPartitions: [{ topic: 'orders', partitionIds: [0, 3] }],
        transactionLastUpdateTimestampMs: 1_700_000_000_500n,
        transactionStartTimestampMs: 1_700_000_000_000n,
      },
      0,
    );
    const conn = await connect(broker);
    try {
      const written = await produce(conn, 'transaction-records', 0, {
        records: [{ key: key.toBuffer(), value: value.toBuffer() }],
      });
      expect(written.errorCode).toBe(0);
    } finally {
      conn.close();
    }
    const r = await runShim(
      'kafka-console-consumer.sh',
      [
        '--bootstrap-server',
        broker.bootstrapServers,
        '--topic',
        'transaction-records',
        '--from-beginning',
        '--max-messages',
        '1',
        '--formatter',
        'org.apache.kafka.tools.consumer.TransactionLogMessageFormatter',
      ],
      { timeoutMs: 30_000 },
    );
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      '{"key":{"version":0,"data":{"transactionalId":"tx-1"}},"value":{"version":0,"data":{"producerId":1000,"producerEpoch":2,' +
        '"transactionTimeoutMs":60000,"transactionStatus":1,"transactionPartitions":[{"topic":"orders","partitionIds":[0,3]}],' +
        '"transactionLastUpdateTimestampMs":1700000000500,"transactionStartTimestampMs":1700000000000}}}\n',
      'Processed a total of 1 messages\n',
    ]);
  });
});
