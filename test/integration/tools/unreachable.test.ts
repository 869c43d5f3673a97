import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKts } from '../../helpers/kts.js';

/** A port that was just free: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('everyday tools against an unreachable cluster', () => {
  let bootstrap: string;
  beforeAll(async () => {
    bootstrap = `127.0.0.1:${await closedPort()}`;
  });

  const cases: Array<[string, string[]]> = [
    ['topics --list', ['topics', '--list']],
    ['topics --describe', ['topics', '--describe']],
    ['console-producer', ['console-producer', '--topic', 't']],
    ['console-consumer', ['console-consumer', '--topic', 't']],
    ['get-offsets', ['get-offsets']],
    ['configs --describe', ['configs', '--describe', '--topic', 't']],
    ['broker-api-versions', ['broker-api-versions']],
  ];

  it.each(cases)('%s: one line on stderr, exit 1', async (_, args) => {
    const r = await runKts([...args, '--bootstrap-server', bootstrap], { input: 'a\n', timeoutMs: 15_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe(`Error: could not connect to any broker at ${bootstrap} (connection refused)`);
    // The consumer also reports how many messages it printed, as Kafka's does.
    expect(lines.filter((l) => !l.startsWith('Processed a total of'))).toHaveLength(1);
  });
});

describe('everyday tools reject bad options before connecting (exit 2, one line)', () => {
  const cases: Array<[string[], string]> = [
    [['topics', '--create'], 'Missing required argument "[topic]"'],
    [['topics', '--list', '--describe'], 'Command must include exactly one action: --list, --describe, --create, --alter or --delete'],
    [
      ['topics', '--create', '--topic', 't', '--partitions', 'x'],
      "error: option '--partitions <n>' argument 'x' is invalid. expected a whole number",
    ],
    [['console-consumer', '--topic', 't', '--offset', '5'], 'The partition is required when offset is specified.'],
    [['console-consumer', '--topic', 't', '--format', '%z'], 'Error: --format: Unsupported formatter: %z'],
    [['console-producer', '--topic', 't', '--property', 'null.marker=,'], 'Error: null.marker and headers.separator may not be equal'],
    [
      ['console-producer', '--topic', 't', '--compression-codec', 'brotli'],
      "Error: unknown compression codec 'brotli' (use none, gzip, snappy, lz4, zstd)",
    ],
    [['get-offsets', '--time', 'yesterday'], 'Error occurred: Malformed time argument yesterday.'],
    [
      ['get-offsets', '--topic', 'a', '--topic-partitions', 'a:1'],
      'Error occurred: --topic-partitions cannot be used with --topic or --partitions',
    ],
  ];

  it.each(cases)('kts %j', async (args, message) => {
    const r = await runKts([...args, '--bootstrap-server', '127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim().startsWith(message)).toBe(true);
  });
});

/**
 * One deadline policy (request.timeout.ms for each request, ApiVersions included): a broker that
 * accepts connections and never answers fails every tool alike, naming the request and the broker.
 */
describe('every tool against a broker that accepts connections but never answers', () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  let bootstrap: string;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    bootstrap = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'kts-silent-'));
    config = join(dir, 'client.properties');
    writeFileSync(config, 'request.timeout.ms=700\n');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<[string, (config: string) => string[]]> = [
    ['topics --list', (c) => ['topics', '--list', '--command-config', c]],
    ['consumer-groups --list', (c) => ['consumer-groups', '--list', '--command-config', c]],
    ['configs --describe', (c) => ['configs', '--describe', '--topic', 't', '--command-config', c]],
    ['get-offsets', (c) => ['get-offsets', '--command-config', c]],
    ['broker-api-versions', (c) => ['broker-api-versions', '--command-config', c]],
    ['console-producer', () => ['console-producer', '--topic', 't', '--request-timeout-ms', '700']],
    ['console-consumer', () => ['console-consumer', '--topic', 't', '--consumer-property', 'request.timeout.ms=700']],
  ];

  it.each(cases)('%s: `ApiVersions request to <broker> timed out after 700 ms (request.timeout.ms)`, exit 1', async (_, args) => {
    const r = await runKts([...args(config), '--bootstrap-server', bootstrap], { input: 'a\n', timeoutMs: 15_000 });
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      `Error: ApiVersions request to ${bootstrap} timed out after 700 ms (request.timeout.ms)`,
    );
  });
});
