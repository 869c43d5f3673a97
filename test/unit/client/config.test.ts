import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KtsError, UsageError } from '../../../src/util/errors.js';
import { clientConfig, type ClientConfigOptions } from '../../../src/client/config.js';
import { sslOptions } from '../../../src/client/ssl.js';
import { needs } from '../../helpers/requirements.js';
import { makeSelfSignedCert, type TlsFixture } from './tls-fixture.js';

const PLAIN_JAAS = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="al\\"ice";';
const SCRAM_JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="bob" password="b0b";';

function config(entries: Record<string, string>, options: ClientConfigOptions = {}) {
  const warnings: string[] = [];
  const settings = clientConfig(new Map(Object.entries(entries)), { warn: (l) => warnings.push(l), ...options });
  return { settings, warnings };
}

function usageError(entries: Record<string, string>): string {
  try {
    config(entries);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('clientConfig: basics', () => {
  it("defaults to the Java clients' timeouts and plaintext", () => {
    const { settings, warnings } = config({});
    expect(settings).toEqual({
      clientId: 'kts',
      requestTimeout: 30_000,
      connectionTimeout: 10_000,
      defaultApiTimeout: 60_000,
      retryBackoffMs: 100,
    });
    expect(warnings).toEqual([]);
  });

  it('maps client.id and the timeouts', () => {
    const { settings } = config({
      'client.id': 'tool-1',
      'request.timeout.ms': '1200',
      'retry.backoff.ms': '50',
      'connections.max.idle.ms': '540000',
      'socket.connection.setup.timeout.ms': '300',
      'default.api.timeout.ms': '5000',
    });
    expect(settings).toMatchObject({ clientId: 'tool-1', requestTimeout: 1200, connectionTimeout: 300, defaultApiTimeout: 5000 });
    expect(settings.retryBackoffMs).toBe(50);
    expect(config({ 'request.timeout.ms': '600000' }).settings.connectionTimeout).toBe(10_000);
    expect(config({ 'socket.connection.setup.timeout.ms': '777' }).settings.connectionTimeout).toBe(777);
  });

  it.each(['abc', '0', '-5', '1.5', '99999999999'])('rejects request.timeout.ms=%s', (value) => {
    expect(usageError({ 'request.timeout.ms': value })).toBe(
      `Error: invalid value for request.timeout.ms: '${value}' (expected a positive integer of milliseconds)`,
    );
  });

  it('warns once about unknown properties, except those the caller consumes', () => {
    const { warnings } = config({ 'client.id': 'x', 'linger.ms': '5', 'foo.bar': '1', acks: 'all', zzz: '' }, { consumedKeys: ['acks'] });
    expect(warnings).toEqual(['Warning: ignoring unknown properties: linger.ms, foo.bar, zzz']);
  });

  it('writes the warning to stderr by default', () => {
    const written: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      clientConfig(new Map([['nope', '1']]));
    } finally {
      process.stderr.write = original;
    }
    expect(written).toEqual(['Warning: ignoring unknown properties: nope\n']);
  });

  it('accepts the four security protocols in any case and rejects others', () => {
    expect(config({ 'security.protocol': 'plaintext' }).settings.ssl).toBeUndefined();
    expect(config({ 'security.protocol': 'ssl' }).settings.ssl).toEqual({});
    expect(usageError({ 'security.protocol': 'KERBEROS' })).toBe(
      "Error: unsupported security.protocol 'KERBEROS' (use PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)",
    );
  });
});

describe('clientConfig: SASL', () => {
  it.each([
    ['PLAIN', PLAIN_JAAS, { mechanism: 'plain', username: 'alice', password: 'al"ice' }],
    ['SCRAM-SHA-256', SCRAM_JAAS, { mechanism: 'scram-sha-256', username: 'bob', password: 'b0b' }],
    ['SCRAM-SHA-512', SCRAM_JAAS, { mechanism: 'scram-sha-512', username: 'bob', password: 'b0b' }],
  ])('maps %s with credentials from sasl.jaas.config', (mechanism, jaas, expected) => {
    const { settings } = config({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': mechanism,
      'sasl.jaas.config': jaas,
    });
    expect(settings.sasl).toEqual(expected);
    expect(settings.ssl).toBeUndefined();
  });

  it('SASL_SSL sets both', () => {
    const { settings } = config({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': PLAIN_JAAS });
    expect(settings.ssl).toEqual({});
    expect(settings.sasl).toMatchObject({ mechanism: 'plain' });
  });

  it('ignores SASL settings under PLAINTEXT, as Kafka does', () => {
    expect(config({ 'sasl.mechanism': 'GSSAPI', 'sasl.jaas.config': 'junk' }).settings.sasl).toBeUndefined();
  });

  it.each([
    [{ 'sasl.jaas.config': PLAIN_JAAS }, 'Error: sasl.mechanism GSSAPI is not supported (use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)'],
    [
      { 'sasl.mechanism': 'OAUTHBEARER', 'sasl.jaas.config': PLAIN_JAAS },
      'Error: sasl.mechanism OAUTHBEARER is not supported (use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)',
    ],
    [{ 'sasl.mechanism': 'PLAIN' }, 'Error: sasl.mechanism PLAIN needs sasl.jaas.config with a username and password'],
    [
      { 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'com.sun.security.auth.module.Krb5LoginModule required;' },
      'Error: sasl.jaas.config login module com.sun.security.auth.module.Krb5LoginModule is not supported (use PlainLoginModule or ScramLoginModule)',
    ],
    [
      { 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="a";' },
      'Error: sasl.jaas.config must set both username and password',
    ],
    [
      { 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="a"' },
      "Error: invalid sasl.jaas.config: missing ';' at the end",
    ],
  ])('rejects %j', (entries, message) => {
    expect(usageError({ 'security.protocol': 'SASL_SSL', ...entries })).toBe(message);
  });
});

describe('clientConfig: SSL from PEM', needs('openssl'), () => {
  let dir: string;
  let tls: TlsFixture;
  let combined: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kts-ssl-'));
    tls = makeSelfSignedCert(dir);
    combined = join(dir, 'client.pem');
    writeFileSync(combined, `Bag Attributes\n    friendlyName: client\n${tls.cert}${tls.key}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ssl = (entries: Record<string, string>) => config({ 'security.protocol': 'SSL', ...entries }).settings.ssl;

  it('reads a PEM truststore and a combined cert+key keystore', () => {
    expect(ssl({ 'ssl.truststore.location': tls.certPath, 'ssl.keystore.location': combined, 'ssl.key.password': 'pw' })).toEqual({
      ca: tls.cert.trim(),
      cert: tls.cert.trim(),
      key: tls.key.trim(),
      passphrase: 'pw',
    });
  });

  it('takes inline PEM (ssl.*.type=PEM) and keeps every certificate of a chain', () => {
    const chain = `${tls.cert}${tls.cert}`;
    const options = ssl({
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.certificate.chain': chain,
      'ssl.keystore.key': tls.key,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.certificates': tls.cert,
    });
    expect(options).toMatchObject({ ca: tls.cert.trim(), key: tls.key.trim() });
    expect(String((options as { cert: string }).cert).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it('disables hostname verification for an empty ssl.endpoint.identification.algorithm', () => {
    const options = ssl({ 'ssl.endpoint.identification.algorithm': '' }) as { checkServerIdentity?: () => unknown };
    expect(options.checkServerIdentity?.()).toBeUndefined();
    expect(typeof options.checkServerIdentity).toBe('function');
    expect(ssl({ 'ssl.endpoint.identification.algorithm': 'HTTPS' })).toEqual({});
    expect(usageError({ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': 'ldap' })).toBe(
      "Error: unsupported ssl.endpoint.identification.algorithm 'ldap' (use https, or an empty value to disable)",
    );
  });

  it('reads a PKCS12 key store, and explains how to convert JKS stores and PKCS12 trust stores to PEM', () => {
    const jks = join(dir, 'truststore.jks');
    writeFileSync(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    expect(usageError({ 'security.protocol': 'SSL', 'ssl.truststore.location': jks })).toBe(
      `Error: truststore '${jks}' is a JKS store; kts reads PEM truststores only, convert it with ` +
        `\`keytool -importkeystore -srckeystore ${jks} -destkeystore ${jks}.p12 -deststoretype PKCS12 && ` +
        `openssl pkcs12 -in ${jks}.p12 -out ${jks}.pem -nodes\` and set ssl.truststore.location to the .pem file`,
    );
    const p12 = join(dir, 'client.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-in', tls.certPath, '-inkey', tls.keyPath, '-out', p12, '-passout', 'pass:x'], {
      stdio: 'ignore',
      timeout: 10_000,
    });
    const options = sslOptions(
      new Map([
        ['ssl.keystore.location', p12],
        ['ssl.keystore.type', 'PKCS12'],
        ['ssl.keystore.password', 'x'],
      ]),
    );
    expect(options).toMatchObject({ pfx: readFileSync(p12), passphrase: 'x' });
    expect(usageError({ 'security.protocol': 'SSL', 'ssl.truststore.location': p12, 'ssl.truststore.type': 'PKCS12' })).toBe(
      `Error: truststore '${p12}' is a PKCS12 store; kts reads PEM truststores only, convert it with ` +
        `\`openssl pkcs12 -in ${p12} -out ${p12}.pem -nodes\` and set ssl.truststore.location to the .pem file`,
    );
  });

  it('reports PEM files without the needed blocks, and missing files', () => {
    expect(usageError({ 'security.protocol': 'SSL', 'ssl.keystore.location': tls.certPath })).toBe(
      `Error: keystore '${tls.certPath}' contains no PEM private key`,
    );
    expect(usageError({ 'security.protocol': 'SSL', 'ssl.truststore.location': tls.keyPath })).toBe(
      `Error: truststore '${tls.keyPath}' contains no PEM certificate`,
    );
    expect(usageError({ 'security.protocol': 'SSL', 'ssl.keystore.key': tls.key })).toBe(
      'Error: ssl.keystore.certificate.chain and ssl.keystore.key must be given together',
    );
    const missing = join(dir, 'missing.pem');
    expect(() => config({ 'security.protocol': 'SSL', 'ssl.truststore.location': missing })).toThrow(
      new KtsError(`Error: could not read truststore '${missing}': no such file`),
    );
  });
});
