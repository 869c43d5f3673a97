import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../util/errors.js';
import type { ClientProperties } from './client-properties.js';
import { readUserFile } from '../util/read-file.js';

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
 * TLS options for kafkajs from Kafka's SSL properties. Only PEM is supported (files or inline, as
 * Kafka allows with `ssl.*.type=PEM`); Java key stores get a one-line hint on converting them.
 */
export function sslOptions(props: ClientProperties): ConnectionOptions {
  const options: ConnectionOptions = {};
  const ca = truststorePem(props);
  if (ca !== undefined) options.ca = ca;
  const keystore = keystorePem(props);
  if (keystore !== undefined) {
    options.cert = keystore.cert;
    options.key = keystore.key;
  }
  const keyPassword = props.get('ssl.key.password');
  if (keyPassword !== undefined && keyPassword !== '') options.passphrase = keyPassword;
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
  const text = storeFile(path, 'ssl.truststore', props.get('ssl.truststore.type'), 'truststore');
  return requirePem(text, `truststore '${path}'`, 'CERTIFICATE');
}

function keystorePem(props: ClientProperties): { cert: string; key: string } | undefined {
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
  const text = storeFile(path, 'ssl.keystore', props.get('ssl.keystore.type'), 'keystore');
  const what = `keystore '${path}'`;
  return { cert: requirePem(text, what, 'CERTIFICATE'), key: requirePem(text, what, 'PRIVATE KEY') };
}

/** Reads a store file and rejects JKS/PKCS12 (declared, or binary content) with a conversion hint. */
function storeFile(path: string, prefix: string, declaredType: string | undefined, what: string): string {
  const text = readUserFile(path, what);
  const type = declaredType?.toUpperCase();
  if (type === 'PEM' || (type === undefined && text.includes('-----BEGIN '))) return text;
  const p12 = type === 'PKCS12' ? path : `${path}.p12`;
  const toP12 = type === 'PKCS12' ? '' : `keytool -importkeystore -srckeystore ${path} -destkeystore ${p12} -deststoretype PKCS12 && `;
  throw new UsageError(
    `Error: ${what} '${path}' is ${type ? `a ${type} store` : 'not PEM'}; kts reads PEM only, convert it with ` +
      `\`${toP12}openssl pkcs12 -in ${p12} -out ${path}.pem -nodes\` and set ${prefix}.location to the .pem file`,
  );
}

/** The PEM blocks of one kind (all certificates of a chain, or the one private key) from `text`. */
function requirePem(text: string, what: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): string {
  const blocks = [...text.matchAll(PEM_BLOCK)].filter((m) => m[1]!.endsWith(kind)).map((m) => m[0]);
  if (blocks.length === 0) throw new UsageError(`Error: ${what} contains no PEM ${kind.toLowerCase()}`);
  return kind === 'CERTIFICATE' ? blocks.join('\n') : blocks[0]!;
}
