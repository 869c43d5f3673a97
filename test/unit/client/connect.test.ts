import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KtsError } from '../../../src/util/errors.js';
import { exitCodeOf } from '../../../src/cli/errors.js';
import type { ConnectOptions } from '../../../src/client/connect-options.js';
import { describeConnectionError } from '../../../src/client/connection-error.js';
import { VersionedCluster } from '../../../src/client/versioned-cluster.js';
import { needs } from '../../helpers/requirements.js';
import { makeSelfSignedCert, type TlsFixture } from './tls-fixture.js';

/** Short enough that every failure below settles in well under the test timeout. */
const FAST = new Map([['request.timeout.ms', '1500']]);

async function listen<S extends Server | TlsServer>(server: S, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return (server.address() as AddressInfo).port;
}

const close = (server: Server | TlsServer) => new Promise<void>((resolve) => server.close(() => resolve()));

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

/** Opens a VersionedCluster expecting a KtsError; returns its message. */
async function failure(options: ConnectOptions) {
  const err = await VersionedCluster.open(options).then(
    (cluster) => cluster.close(),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KtsError);
  expect(exitCodeOf(err)).toBe(1);
  return (err as KtsError).message;
}

function captureOutput() {
  const written: string[] = [];
  const capture = (chunk: unknown) => written.push(String(chunk)) > 0;
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  return written;
}

afterEach(() => vi.restoreAllMocks());

describe('VersionedCluster.open', () => {
  it('fails fast on a closed port with one line, and prints nothing', async () => {
    const port = await closedPort();
    const written = captureOutput();
    const message = await failure({ bootstrapServer: `127.0.0.1:${port}`, properties: FAST });
    vi.restoreAllMocks();
    expect(message).toBe(`Error: could not connect to any broker at 127.0.0.1:${port} (connection refused)`);
    expect(written).toEqual([]);
  });

  it('names every address tried, using bootstrap.servers from the properties when no flag is given', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const properties = new Map([...FAST, ['bootstrap.servers', `127.0.0.1:${a}, [::1]:${b}`]]);
    expect(await failure({ properties })).toBe(`Error: could not connect to any broker at 127.0.0.1:${a},[::1]:${b} (connection refused)`);
  });

  it('reports a broker that accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    const port = await listen(silent);
    try {
      expect(await failure({ bootstrapServer: `127.0.0.1:${port}`, properties: FAST })).toBe(
        `Error: ApiVersions request to 127.0.0.1:${port} timed out after 1500 ms (request.timeout.ms)`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await close(silent);
    }
  });
});

describe('VersionedCluster.open over TLS (real handshakes with a local TLS server)', needs('openssl'), () => {
  let dir: string;
  let cert: TlsFixture;
  let server: TlsServer;
  let port: number;
  let handshakes = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kts-connect-'));
    cert = makeSelfSignedCert(dir);
    // Completes the handshake, then hangs up: enough to prove which TLS settings reached the socket.
    server = createTlsServer({ cert: cert.cert, key: cert.key }, (socket) => {
      handshakes++;
      socket.destroy();
    });
    server.on('tlsClientError', () => {});
    port = await listen(server, '::1');
  });
  afterAll(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  const ssl = (entries: [string, string][]) => new Map([...FAST, ['security.protocol', 'SSL'], ...entries]);

  it('rejects an untrusted certificate with a TLS error', async () => {
    expect(await failure({ bootstrapServer: `[::1]:${port}`, properties: ssl([]) })).toBe(
      `Error: could not connect to any broker at [::1]:${port} (TLS error: self-signed certificate)`,
    );
  });

  it('trusts the PEM truststore and reaches an IPv6 seed broker', async () => {
    const before = handshakes;
    expect(await failure({ bootstrapServer: `[::1]:${port}`, properties: ssl([['ssl.truststore.location', cert.certPath]]) })).toBe(
      `Error: could not connect to any broker at [::1]:${port} (connection closed by the broker)`,
    );
    expect(handshakes).toBeGreaterThan(before);
  });

  it('verifies the host name unless ssl.endpoint.identification.algorithm is empty', async () => {
    const other = makeSelfSignedCert(dir, 'elsewhere.example', 'DNS:elsewhere.example');
    const wrongName = createTlsServer({ cert: other.cert, key: other.key }, (socket) => socket.destroy());
    wrongName.on('tlsClientError', () => {});
    const otherPort = await listen(wrongName);
    const trusting = [['ssl.truststore.location', other.certPath]] as [string, string][];
    try {
      expect(await failure({ bootstrapServer: `localhost:${otherPort}`, properties: ssl(trusting) })).toBe(
        `Error: could not connect to any broker at localhost:${otherPort} (TLS error: Hostname/IP does not match ` +
          "certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:elsewhere.example)",
      );
      const unverified = ssl([...trusting, ['ssl.endpoint.identification.algorithm', '']]);
      expect(await failure({ bootstrapServer: `localhost:${otherPort}`, properties: unverified })).toBe(
        `Error: could not connect to any broker at localhost:${otherPort} (connection closed by the broker)`,
      );
    } finally {
      await close(wrongName);
    }
  });
});

describe('describeConnectionError', () => {
  const brokers = [
    { host: 'a', port: 1 },
    { host: '::1', port: 2 },
  ];
  const wrapped = (cause: Error) => new Error('connecting failed', { cause });

  it.each([
    [Object.assign(new Error('getaddrinfo ENOTFOUND a'), { code: 'ENOTFOUND' }), 'unknown host'],
    [
      Object.assign(new Error('80EC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:x.c:350:\n'), {
        code: 'ERR_SSL_WRONG_VERSION_NUMBER',
      }),
      'TLS error: wrong version number',
    ],
    [new Error('something odd\nsecond line'), 'something odd'],
  ])('explains %s', (cause, reason) => {
    expect(describeConnectionError(wrapped(cause), brokers)).toBe(`Error: could not connect to any broker at a:1,[::1]:2 (${reason})`);
  });
});
