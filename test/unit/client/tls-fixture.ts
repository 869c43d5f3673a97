import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsFixture {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

/** A throwaway self-signed EC certificate, made with the openssl CLI in `dir`; by default for localhost, 127.0.0.1 and ::1. */
export function makeSelfSignedCert(dir: string, name = 'server', subjectAltName = 'DNS:localhost,IP:127.0.0.1,IP:::1'): TlsFixture {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=${subjectAltName}`,
    ],
    { stdio: 'ignore', timeout: 10_000 },
  );
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}
