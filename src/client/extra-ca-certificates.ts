import { readFileSync } from 'node:fs';
import type { ConnectionOptions, SecureContext } from 'node:tls';

type Tls = typeof import('node:tls');

/** Where bin/kts puts NODE_EXTRA_CA_CERTS, which it keeps from Node (see bin/kts). */
export const EXTRA_CA_CERTS_ENV = 'KTS_NODE_EXTRA_CA_CERTS';

/** One per options object: a client's options serve all its connections, and the ~300 certificates take ~30 ms to parse. */
const contexts = new WeakMap<ConnectionOptions, SecureContext | null>();

/**
 * `options` for a TLS connection, with NODE_EXTRA_CA_CERTS as Node would apply it had bin/kts not
 * kept it from Node: when the options name no trust store, the server is checked against Node's
 * bundled root certificates plus the file's. A file that cannot be used is warned about once, in
 * Node's words, and the bundled roots alone apply.
 */
export function withExtraCaCertificates(tls: Tls, options: ConnectionOptions): ConnectionOptions {
  const path = process.env[EXTRA_CA_CERTS_ENV];
  if (!path || options.ca !== undefined || options.secureContext !== undefined) return options;
  let context = contexts.get(options);
  if (context === undefined) {
    context = extraCaContext(tls, options, path);
    contexts.set(options, context);
  }
  return context === null ? options : { ...options, secureContext: context };
}

function extraCaContext(tls: Tls, options: ConnectionOptions, path: string): SecureContext | null {
  try {
    return tls.createSecureContext({ ...options, ca: [...tls.rootCertificates, readFileSync(path, 'latin1')] });
  } catch (err) {
    warnOnce(`Warning: Ignoring extra certs from \`${path}\`, load failed: ${(err as Error).message}`);
    return null;
  }
}

let warned = false;
function warnOnce(line: string): void {
  if (!warned) process.stderr.write(`${line}\n`);
  warned = true;
}
