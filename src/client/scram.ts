import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

const HASHES: Record<ScramMechanism, { hash: 'sha256' | 'sha512'; bytes: number }> = {
  'SCRAM-SHA-256': { hash: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { hash: 'sha512', bytes: 64 },
};

/** Kafka's ScramMechanism.minIterations: fewer would let a rogue server weaken the stored key. */
const MIN_ITERATIONS = 4096;

/** A SCRAM exchange the server broke off or that failed verification; one line. */
export class ScramError extends Error {}

/** `saslname` of RFC 5802: `=` and `,` are escaped. */
function saslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

/**
 * The client side of SCRAM (RFC 5802, RFC 7677) as Kafka's ScramSaslClient speaks it: no channel
 * binding, no authorization id. Call `firstMessage`, then `finalMessage` with the server's first
 * reply, then `verifyServerFinal` with its last.
 */
export class ScramClient {
  private readonly hash: 'sha256' | 'sha512';
  private readonly hashBytes: number;
  private readonly firstBare: string;
  private serverSignature: Buffer | undefined;

  constructor(
    mechanism: ScramMechanism,
    username: string,
    private readonly password: string,
    private readonly nonce = randomBytes(24).toString('base64url'),
  ) {
    ({ hash: this.hash, bytes: this.hashBytes } = HASHES[mechanism]);
    this.firstBare = `n=${saslName(username)},r=${nonce}`;
  }

  firstMessage(): Buffer {
    return Buffer.from(`n,,${this.firstBare}`);
  }

  finalMessage(serverFirstBytes: Buffer): Buffer {
    const serverFirst = serverFirstBytes.toString('utf8');
    const attrs = attributes(serverFirst);
    const error = attrs.get('e');
    if (error !== undefined) throw new ScramError(`SCRAM authentication failed: ${error}`);
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (nonce === undefined || salt === undefined || !Number.isSafeInteger(iterations)) {
      throw new ScramError('invalid SCRAM server-first message');
    }
    if (!nonce.startsWith(this.nonce)) {
      throw new ScramError('SCRAM server nonce does not extend the client nonce');
    }
    if (iterations < MIN_ITERATIONS) {
      throw new ScramError(`SCRAM iterations ${iterations} are fewer than the minimum ${MIN_ITERATIONS}`);
    }
    const salted = pbkdf2Sync(this.password.normalize('NFKC'), Buffer.from(salt, 'base64'), iterations, this.hashBytes, this.hash);
    const clientKey = this.hmac(salted, 'Client Key');
    const storedKey = createHash(this.hash).update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.firstBare},${serverFirst},${withoutProof}`;
    const signature = this.hmac(storedKey, authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ signature[i]!;
    this.serverSignature = this.hmac(this.hmac(salted, 'Server Key'), authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`);
  }

  verifyServerFinal(serverFinalBytes: Buffer): void {
    const attrs = attributes(serverFinalBytes.toString('utf8'));
    const error = attrs.get('e');
    if (error !== undefined) throw new ScramError(`SCRAM authentication failed: ${error}`);
    const verifier = Buffer.from(attrs.get('v') ?? '', 'base64');
    const expected = this.serverSignature;
    if (expected === undefined || verifier.length !== expected.length || !timingSafeEqual(verifier, expected)) {
      throw new ScramError('SCRAM server signature does not match: the server does not know the password');
    }
  }

  private hmac(key: Buffer, data: string): Buffer {
    return createHmac(this.hash, key).update(data).digest();
  }
}
