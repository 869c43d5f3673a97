import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a throw-away certificate authority and what it signed, for TLS tests. */
export interface TestCertificates {
  dir: string;
  /** Deletes `dir`, keys included. */
  remove(): void;
  /** The authority's certificate: every party's trust store. */
  caCert: string;
  /** The broker's certificate (CN=localhost, SAN localhost and 127.0.0.1) and its key, both in one file too. */
  brokerCert: string;
  brokerKey: string;
  brokerPem: string;
  /** The same as a PKCS12 key store protected by `p12Password`. */
  brokerP12: string;
  p12Password: string;
  /** Clients' certificates and keys by common name; their subject is `CN=<name>,OU=eng,O=kts`. */
  client(name: string): { cert: string; key: string; pem: string };
  /** A certificate for `name` signed by another authority, which nothing trusts. */
  untrustedClient: { cert: string; key: string };
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Key and certificate signed by the CA in `dir` (`ca.pem`, `ca.key`). */
function issue(dir: string, name: string, subject: string, ca: string, extensions?: string): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', subject, '-out', csr]);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, extensions ?? 'basicConstraints=CA:FALSE\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    cert,
    '-extfile',
    ext,
  ]);
  return { cert, key };
}

function authority(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  ]);
}

/** Makes a CA, a broker certificate and (lazily) client certificates with openssl in a fresh temp dir. */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'kts-certs-'));
  authority(dir, 'ca');
  authority(dir, 'other-ca');
  const broker = issue(dir, 'broker', '/CN=localhost', 'ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const brokerPem = join(dir, 'broker-keystore.pem');
  writeFileSync(brokerPem, readFileSync(broker.cert, 'utf8') + readFileSync(broker.key, 'utf8'));
  const p12Password = 'keystore-secret';
  const brokerP12 = join(dir, 'broker.p12');
  openssl(dir, ['pkcs12', '-export', '-in', broker.cert, '-inkey', broker.key, '-out', brokerP12, '-passout', `pass:${p12Password}`]);
  const untrustedClient = issue(dir, 'mallory', '/O=kts/OU=eng/CN=mallory', 'other-ca');
  const clients = new Map<string, { cert: string; key: string; pem: string }>();
  return {
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true }),
    caCert: join(dir, 'ca.pem'),
    brokerCert: broker.cert,
    brokerKey: broker.key,
    brokerPem,
    brokerP12,
    p12Password,
    untrustedClient,
    client(name) {
      let issued = clients.get(name);
      if (issued === undefined) {
        const { cert, key } = issue(dir, `client-${name}`, `/O=kts/OU=eng/CN=${name}`, 'ca');
        const pem = join(dir, `client-${name}-keystore.pem`);
        writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'));
        issued = { cert, key, pem };
        clients.set(name, issued);
      }
      return issued;
    },
  };
}
