import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../util/errors.js';
import type { ClientProperties } from './client-properties.js';
import { readUserFileBytes } from '../util/read-file.js';

/** The SSL client properties this module understands (Kafka's names). */
export const SSL_KEYS = [
  'ssl.truststore.location',
  'ssl.truststore.type',
  'ssl.truststore.password',
  'ssl.truststore.certificates',
  'ssl.keystore.location',
  'ssl.keystore.type',
  'ssl.keystore.password',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
] as const;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * Node's TLS options from Kafka's SSL properties. Stores are PEM
 * (files, or inline with `ssl.*.type=PEM`) or, for the keystore, PKCS12; JKS files and PKCS12
 * truststores, which Node cannot read, get a one-line hint on converting them.
 */
export function sslOptions(props: ClientProperties): ConnectionOptions {
  const options: ConnectionOptions = {};
  const ca = truststorePem(props);
  if (ca !== undefined) options.ca = ca;
  const keystore = keystoreMaterial(props);
  if (keystore !== undefined) Object.assign(options, keystore);
  const keyPassword = props.get('ssl.key.password');
  if (keyPassword !== undefined && keyPassword !== '' && options.passphrase === undefined) options.passphrase = keyPassword;
  const algorithm = props.get('ssl.endpoint.identification.algorithm');
  if (algorithm === '') options.checkServerIdentity = () => undefined;
  else if (algorithm !== undefined && algorithm.toLowerCase() !== 'https') {
    throw new UsageError(
      `Error: unsupported ssl.endpoint.identification.algorithm '${algorithm}' (use https, or an empty value to disable)`,
    );
  }
  return options;
}

function truststorePem(props: ClientProperties): string | undefined {
  const inline = props.get('ssl.truststore.certificates');
  if (inline !== undefined && inline !== '') return requirePem(inline, 'ssl.truststore.certificates', 'CERTIFICATE');
  const path = props.get('ssl.truststore.location');
  if (path === undefined || path === '') return undefined;
  const store = storeFile(path, 'ssl.truststore', props.get('ssl.truststore.type'), 'truststore');
  if (store.kind !== 'PEM') throw notPem(path, 'ssl.truststore', 'truststore', store.kind);
  return requirePem(store.text, `truststore '${path}'`, 'CERTIFICATE');
}

/** The certificate chain and key: PEM text, or a PKCS12 file Node opens with the keystore password. */
function keystoreMaterial(props: ClientProperties): Pick<ConnectionOptions, 'cert' | 'key' | 'pfx' | 'passphrase'> | undefined {
  const chain = props.get('ssl.keystore.certificate.chain');
  const inlineKey = props.get('ssl.keystore.key');
  if (chain || inlineKey) {
    if (!chain || !inlineKey) {
      throw new UsageError('Error: ssl.keystore.certificate.chain and ssl.keystore.key must be given together');
    }
    return {
      cert: requirePem(chain, 'ssl.keystore.certificate.chain', 'CERTIFICATE'),
      key: requirePem(inlineKey, 'ssl.keystore.key', 'PRIVATE KEY'),
    };
  }
  const path = props.get('ssl.keystore.location');
  if (path === undefined || path === '') return undefined;
  const store = storeFile(path, 'ssl.keystore', props.get('ssl.keystore.type'), 'keystore');
  if (store.kind === 'PKCS12') {
    const password = props.get('ssl.keystore.password') || props.get('ssl.key.password');
    return { pfx: store.bytes, ...(password ? { passphrase: password } : {}) };
  }
  if (store.kind !== 'PEM') throw notPem(path, 'ssl.keystore', 'keystore', store.kind);
  const what = `keystore '${path}'`;
  return { cert: requirePem(store.text, what, 'CERTIFICATE'), key: requirePem(store.text, what, 'PRIVATE KEY') };
}

type StoreFile = { kind: 'PEM'; text: string } | { kind: 'PKCS12'; bytes: Buffer } | { kind: 'JKS' | 'unknown' };

/** JKS and JCEKS files start with these magic numbers. */
const JAVA_KEYSTORE_MAGIC = [0xfeedfeed, 0xcececece];

/**
 * A store file by what it holds, whatever `ssl.*.type` says (keytool writes PKCS12 files named
 * .jks, and Java reads either under type JKS): PEM text, a PKCS12 file (DER, starting with a
 * SEQUENCE), or a Java key store.
 */
function storeFile(path: string, prefix: string, declaredType: string | undefined, what: string): StoreFile {
  const bytes = readUserFileBytes(path, what);
  const text = bytes.toString('utf8');
  const type = declaredType?.toUpperCase();
  if (text.includes('-----BEGIN ')) return { kind: 'PEM', text };
  if (type === 'PEM') throw new UsageError(`Error: ${what} '${path}' contains no PEM blocks (${prefix}.type is PEM)`);
  if (bytes.length >= 4 && JAVA_KEYSTORE_MAGIC.includes(bytes.readUInt32BE(0))) return { kind: 'JKS' };
  return bytes[0] === 0x30 ? { kind: 'PKCS12', bytes } : { kind: 'unknown' };
}

function notPem(path: string, prefix: string, what: string, kind: StoreFile['kind']): UsageError {
  const p12 = kind === 'PKCS12' ? path : `${path}.p12`;
  const toP12 = kind === 'PKCS12' ? '' : `keytool -importkeystore -srckeystore ${path} -destkeystore ${p12} -deststoretype PKCS12 && `;
  const reads = what === 'truststore' ? 'kts reads PEM truststores only' : 'kts reads PEM and PKCS12 keystores only';
  return new UsageError(
    `Error: ${what} '${path}' is ${kind === 'unknown' ? 'not PEM' : `a ${kind} store`}; ${reads}, convert it with ` +
      `\`${toP12}openssl pkcs12 -in ${p12} -out ${path}.pem -nodes\` and set ${prefix}.location to the .pem file`,
  );
}

/** The PEM blocks of one kind (all certificates of a chain, or the one private key) from `text`. */
function requirePem(text: string, what: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): string {
  const blocks = [...text.matchAll(PEM_BLOCK)].filter((m) => m[1]!.endsWith(kind)).map((m) => m[0]);
  if (blocks.length === 0) throw new UsageError(`Error: ${what} contains no PEM ${kind.toLowerCase()}`);
  return kind === 'CERTIFICATE' ? blocks.join('\n') : blocks[0]!;
}
