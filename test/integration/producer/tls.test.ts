import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { needs } from '../../helpers/requirements.js';
import { runKts } from '../../helpers/kts.js';
import { makeSelfSignedCert, type TlsFixture } from '../../unit/client/tls-fixture.js';
import { freePort } from '../../helpers/free-port.js';

/**
 * The embedded broker has no TLS listener yet, so TLS is terminated in front of it, and the
 * broker advertises the TLS port: every connection the producer makes is TLS.
 */
describe('native producer over TLS', needs('kcat', 'openssl'), () => {
  let dir: string;
  let cert: TlsFixture;
  let broker: StartedBroker;
  let tls: Server;
  const sockets = new Set<Socket>();
  let bootstrap: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kts-producer-tls-'));
    cert = makeSelfSignedCert(dir);
    const brokerPort = await freePort();
    tls = createTlsServer({ cert: cert.cert, key: cert.key }, (client) => {
      const upstream = connect({ host: '127.0.0.1', port: brokerPort });
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const close = () => (client.destroy(), upstream.destroy());
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const tlsPort = (tls.address() as AddressInfo).port;
    bootstrap = `127.0.0.1:${tlsPort}`;
    broker = await startBroker({
      logDir: join(dir, 'logs'),
      config: { listeners: `PLAINTEXT://127.0.0.1:${brokerPort}`, 'advertised.listeners': `PLAINTEXT://${bootstrap}` },
    });
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (tls ? tls.close(() => resolve()) : resolve()));
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const kcat = (topic: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const args = [
        '-b',
        bootstrap,
        '-X',
        'security.protocol=ssl',
        '-X',
        `ssl.ca.location=${cert.certPath}`,
        '-C',
        '-t',
        topic,
        '-e',
        '-q',
        '-f',
        '%s\n',
      ];
      const child = spawn('kcat', args);
      let out = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.stdout.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => (clearTimeout(timer), code === 0 ? resolve(out) : reject(new Error(`kcat exited ${code}`))));
    });

  it('console-producer sends through TLS with a PEM truststore; kcat reads the records back', async () => {
    const r = await runKts(
      [
        'console-producer',
        '--topic',
        'secure',
        '--bootstrap-server',
        bootstrap,
        '--producer-property',
        'security.protocol=SSL',
        '--producer-property',
        `ssl.truststore.location=${cert.certPath}`,
      ],
      { input: 'one\ntwo\nthree\n' },
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(await kcat('secure')).toBe('one\ntwo\nthree\n');
  });

  it('an untrusted certificate is one line on stderr and exit 1', async () => {
    const r = await runKts(
      ['console-producer', '--topic', 'secure', '--bootstrap-server', bootstrap, '--producer-property', 'security.protocol=SSL'],
      {
        input: 'x\n',
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^Error: could not connect to any broker at ${bootstrap} \\(TLS error: .+\\)\\n$`));
  });

  // bin/kts keeps NODE_EXTRA_CA_CERTS from Node, which would parse the file at every start-up, and
  // applies it itself (src/client/extra-ca-certificates.ts).
  describe('NODE_EXTRA_CA_CERTS', () => {
    const produce = (topic: string, extraCaCerts: string) =>
      runKts(['console-producer', '--topic', topic, '--bootstrap-server', bootstrap, '--producer-property', 'security.protocol=SSL'], {
        input: 'one\ntwo\n',
        env: { NODE_EXTRA_CA_CERTS: extraCaCerts },
      });

    it('is trusted, as Node trusts it, when no trust store is set', async () => {
      expect(await produce('extra-ca', cert.certPath)).toMatchObject({ code: 0, stderr: '' });
      expect(await kcat('extra-ca')).toBe('one\ntwo\n');
    });

    it("a file that cannot be read gets Node's warning, once, when a TLS connection is made", async () => {
      const missing = join(dir, 'missing.pem');
      const r = await produce('extra-ca-missing', missing);
      expect(r.code).toBe(1);
      const [warning, error, ...rest] = r.stderr.split('\n');
      expect(warning).toBe(
        `Warning: Ignoring extra certs from \`${missing}\`, load failed: ENOENT: no such file or directory, open '${missing}'`,
      );
      expect(error).toMatch(/^Error: could not connect to any broker at .+ \(TLS error: .+\)$/);
      expect(rest).toEqual(['']);
    });

    it('is not read by a command that makes no TLS connection', async () => {
      // Node itself would print the warning above at start-up.
      const r = await runKts(['console-producer', '--version'], { env: { NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') } });
      expect(r).toMatchObject({ code: 0, stderr: '' });
    });
  });
});
