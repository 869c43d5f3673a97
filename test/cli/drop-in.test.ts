import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../src/broker/index.js';
import { packageVersion } from '../../src/util/package-version.js';
import { KTS_BIN, runKts, runShim } from '../helpers/kts.js';
import { freePort } from '../helpers/free-port.js';

/**
 * One test per row of docs/architecture/drop-in.md: the same case through `kts <tool>` and through
 * the bin/kafka/ shim, comparing stdout, stderr and the exit code with Kafka 3.9's behaviour.
 */
describe('drop-in mode: kafka-*.sh against kts <tool>', () => {
  let broker: StartedBroker;
  let server: string[];
  const result = (r: { code: number | null; stdout: string; stderr: string }) => ({ code: r.code, stdout: r.stdout, stderr: r.stderr });

  beforeAll(async () => {
    broker = await startBroker();
    server = ['--bootstrap-server', broker.bootstrapServers];
  });
  afterAll(() => broker?.stop());

  it('1: a usage error exits 1 (kts: 2), the message on stderr in both', async () => {
    const message = 'Command must include exactly one action: --list, --describe, --create, --alter or --delete\n';
    expect(result(await runKts(['topics', '--list', '--describe', ...server]))).toEqual({ code: 2, stdout: '', stderr: message });
    expect(result(await runShim('kafka-topics.sh', ['--list', '--describe', ...server]))).toEqual({ code: 1, stdout: '', stderr: message });
  });

  it("2: an unknown option is jopt's `<name> is not a recognized option`, exit 1", async () => {
    const kts = await runKts(['topics', '--zookeeper', 'localhost:2181', '--list']);
    expect([kts.code, kts.stderr]).toEqual([2, "error: unknown option '--zookeeper'\n"]);
    const kafka = await runShim('kafka-topics.sh', ['--zookeeper', 'localhost:2181', '--list']);
    expect(result(kafka)).toEqual({ code: 1, stdout: '', stderr: 'zookeeper is not a recognized option\n' });
  });

  it("3: --help is Kafka's description then the options, on stderr, exit 1", async () => {
    const kts = await runKts(['topics', '--help']);
    expect([kts.code, kts.stderr]).toEqual([0, '']);
    expect(kts.stdout).toMatch(/^Usage: kts topics \[options\]\n/);
    const kafka = await runShim('kafka-topics.sh', ['--help']);
    expect([kafka.code, kafka.stdout]).toEqual([1, '']);
    expect(kafka.stderr).toMatch(
      /^This tool helps to create, delete, describe, or change a topic\.\nUsage: kafka-topics\.sh \[options\]\n/,
    );
    expect(kafka.stderr).toContain('--bootstrap-server <list>');
  });

  it.each([
    ['kafka-topics.sh', 'Create, delete, describe, or change a topic.'],
    ['kafka-console-consumer.sh', 'This tool helps to read data from Kafka topics and outputs it to standard output.'],
    ['kafka-get-offsets.sh', 'An interactive shell for getting topic-partition offsets.'],
  ])('4: %s without arguments prints its usage, exit 1', async (script, headline) => {
    const kafka = await runShim(script, []);
    expect([kafka.code, kafka.stdout]).toEqual([1, '']);
    expect(kafka.stderr.startsWith(`${headline}\nUsage: ${script} [options]\n`)).toBe(true);
  });

  it('4: kts <tool> without arguments is its own usage error, exit 2', async () => {
    expect(result(await runKts(['topics']))).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Command must include exactly one action: --list, --describe, --create, --alter or --delete\n',
    });
  });

  it('5: --version is the Kafka version kts stands in for', async () => {
    expect(result(await runKts(['--version']))).toEqual({ code: 0, stdout: `${packageVersion()}\n`, stderr: '' });
    expect(result(await runShim('kafka-topics.sh', ['--version']))).toEqual({ code: 0, stdout: '3.9.0\n', stderr: '' });
    expect(result(await runShim('kafka-consumer-groups.sh', ['--version']))).toEqual({ code: 0, stdout: '3.9.0\n', stderr: '' });
  });

  it('6: a topics runtime error is on stdout, exit 1', async () => {
    await runKts(['topics', '--create', '--topic', 'first', ...server]);
    const line = "Error while executing topic command : Topic 'first' already exists.\n";
    expect(result(await runKts(['topics', '--create', '--topic', 'first', ...server]))).toEqual({ code: 1, stdout: '', stderr: line });
    expect(result(await runShim('kafka-topics.sh', ['--create', '--topic', 'first', ...server]))).toEqual({
      code: 1,
      stdout: line,
      stderr: '',
    });
  });

  it('7: the . and _ collision WARNING is on stdout', async () => {
    const warning =
      "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n";
    expect(result(await runKts(['topics', '--create', '--topic', 'a.one', ...server]))).toEqual({
      code: 0,
      stdout: 'Created topic a.one.\n',
      stderr: warning,
    });
    expect(result(await runShim('kafka-topics.sh', ['--create', '--topic', 'a_two', ...server]))).toEqual({
      code: 0,
      stdout: `${warning}Created topic a_two.\n`,
      stderr: '',
    });
  });

  it("8: a missing topic is named as Kafka's Optional", async () => {
    expect(result(await runKts(['topics', '--describe', '--topic', 'nope', ...server]))).toEqual({
      code: 1,
      stdout: '',
      stderr: "Error while executing topic command : Topic 'nope' does not exist as expected\n",
    });
    expect(result(await runShim('kafka-topics.sh', ['--delete', '--topic', 'nope', ...server]))).toEqual({
      code: 1,
      stdout: "Error while executing topic command : Topic 'Optional[nope]' does not exist as expected\n",
      stderr: '',
    });
  });

  it('9: an invalid topic name is a runtime error on stdout, exit 1 (kts: usage, exit 2)', async () => {
    const line =
      "Error while executing topic command : Topic name is invalid: 'a b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'\n";
    expect(result(await runKts(['topics', '--create', '--topic', 'a b', ...server]))).toEqual({ code: 2, stdout: '', stderr: line });
    expect(result(await runShim('kafka-topics.sh', ['--create', '--topic', 'a b', ...server]))).toEqual({
      code: 1,
      stdout: line,
      stderr: '',
    });
  });

  it("10: consumer-groups' errors are on stdout after a blank line, exit 0", async () => {
    expect(result(await runKts(['consumer-groups', '--describe', '--group', 'nobody', ...server]))).toEqual({
      code: 1,
      stdout: '',
      stderr: "Error: Consumer group 'nobody' does not exist.\n",
    });
    expect(result(await runShim('kafka-consumer-groups.sh', ['--describe', '--group', 'nobody', ...server]))).toEqual({
      code: 0,
      stdout: "\nError: Consumer group 'nobody' does not exist.\n",
      stderr: '',
    });
  });

  it('11: a consumer-groups runtime failure is on stdout, exit 0', async () => {
    const unreachable = ['--bootstrap-server', `127.0.0.1:${await freePort()}`];
    const kts = await runKts(['consumer-groups', '--list', ...unreachable], { timeoutMs: 30_000 });
    expect([kts.code, kts.stdout]).toEqual([1, '']);
    expect(kts.stderr).toMatch(/^Error: could not connect to any broker at .* \(connection refused\)\n$/);
    const kafka = await runShim('kafka-consumer-groups.sh', ['--list', ...unreachable], { timeoutMs: 30_000 });
    expect([kafka.code, kafka.stderr]).toEqual([0, '']);
    expect(kafka.stdout).toMatch(
      /^\nError: Executing consumer group command failed due to could not connect to any broker at .* \(connection refused\)\n$/,
    );
  });

  it('12: console-consumer says so when its output closes', async () => {
    await runKts(['console-producer', '--topic', 'closing', ...server], { input: 'a\nb\nc\n' });
    const consumeIntoClosedPipe = (kafka: boolean) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const args = ['--topic', 'closing', '--from-beginning', ...server];
        const [command, argv] = kafka
          ? [fileURLToPath(new URL('../../bin/kafka/kafka-console-consumer.sh', import.meta.url)), args]
          : [KTS_BIN, ['console-consumer', ...args]];
        const child = spawn(command, argv, { env: { ...process.env, NO_COLOR: '1' } });
        // The reader is gone before the consumer writes anything: its first write fails with EPIPE.
        child.stdout.destroy();
        const err: Buffer[] = [];
        child.stderr.on('data', (d: Buffer) => err.push(d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stderr: Buffer.concat(err).toString() });
        });
      });
    expect(await consumeIntoClosedPipe(false)).toEqual({ code: 0, stderr: '' });
    const kafka = await consumeIntoClosedPipe(true);
    expect(kafka.code).toBe(0);
    expect(kafka.stderr).toMatch(/^Unable to write to standard out, closing consumer\.\nProcessed a total of \d messages\n$/);
  });

  it("13: console-producer logs each refused record as Kafka's ErrorLoggingCallback, exit 0", async () => {
    await runKts(['topics', '--create', '--topic', 'tiny', '--config', 'max.message.bytes=200', ...server]);
    const input = `ok\n${'x'.repeat(1000)}\n`;
    const kts = await runKts(['console-producer', '--topic', 'tiny', ...server], { input });
    expect(kts.code).toBe(1);
    expect(kts.stderr).toMatch(/^Error: 1 of 2 messages were not acknowledged: MESSAGE_TOO_LARGE /);
    const kafka = await runShim('kafka-console-producer.sh', ['--topic', 'tiny', ...server], { input });
    expect([kafka.code, kafka.stdout]).toEqual([0, '']);
    expect(kafka.stderr).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] ERROR Error when sending message to topic tiny with key: null, value: 1000 bytes with error: \(org\.apache\.kafka\.clients\.producer\.internals\.ErrorLoggingCallback\)\nMESSAGE_TOO_LARGE from the broker for tiny-0: .*\n$/,
    );
  });
});
