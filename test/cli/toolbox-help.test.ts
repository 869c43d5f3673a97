import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKts, runShim } from '../helpers/kts.js';

const TOOLS = [
  ['producer-perf-test', 'kafka-producer-perf-test.sh'],
  ['consumer-perf-test', 'kafka-consumer-perf-test.sh'],
  ['e2e-latency', 'kafka-e2e-latency.sh'],
  ['verifiable-producer', 'kafka-verifiable-producer.sh'],
  ['verifiable-consumer', 'kafka-verifiable-consumer.sh'],
  ['dump-log', 'kafka-dump-log.sh'],
  ['streams-application-reset', 'kafka-streams-application-reset.sh'],
  ['features', 'kafka-features.sh'],
] as const;

describe("the rest of Kafka's toolbox on the command line", () => {
  it.each(TOOLS)('%s --help: its options, then examples of itself, exit 0; a drop-in shim runs it', async (tool, script) => {
    const r = await runKts([tool, '--help']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`^Usage: kts ${tool} \\[options\\]`));
    const examples = r.stdout.split('\nExamples:\n')[1] ?? '';
    expect(examples).toContain(`kts ${tool} `);
    const shim = fileURLToPath(new URL(`../../bin/kafka/${script}`, import.meta.url));
    expect(existsSync(shim)).toBe(true);
  });

  it("the shims take Kafka's arguments: kafka-dump-log.sh without files names them (exit 1, as Kafka), without arguments prints its usage", async () => {
    const missing = await runShim('kafka-dump-log.sh', ['--print-data-log']);
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'Missing required argument "[files]"\n' });
    const bare = await runShim('kafka-dump-log.sh', []);
    expect([bare.code, bare.stdout]).toEqual([1, '']);
    expect(bare.stderr).toMatch(
      /^This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment\.\nUsage: kafka-dump-log\.sh /,
    );
  });
});
