import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

const HASHES: Record<ScramMechanism, { hash: 'sha256' | 'sha512'; bytes: number }> = {
  'SCRAM-SHA-256': { hash: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { hash: 'sha512', bytes: 64 },
};

/** Kafka's ScramMechanism.minIterations: fewer would let a rogue server weaken the stored key. */
export const MIN_ITERATIONS = 4096;
/** Kafka's ScramMechanism.maxIterations. */
export const MAX_ITERATIONS = 16_384;

/** org.apache.kafka.clients.admin.ScramMechanism's wire codes (AlterUserScramCredentials, DescribeUserScramCredentials). */
export const SCRAM_MECHANISM_CODES: Readonly<Record<ScramMechanism, number>> = { 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 };

export function scramMechanismOfCode(code: number): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((m) => SCRAM_MECHANISM_CODES[m] === code);
}

export function isScramMechanism(name: string): name is ScramMechanism {
  return (SCRAM_MECHANISMS as readonly string[]).includes(name);
}

/** Hi(Normalize(password), salt, i) of RFC 5802: what AlterUserScramCredentials carries instead of the password. */
export function saltPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  const { hash, bytes } = HASHES[mechanism];
  return pbkdf2Sync(password.normalize('NFKC'), salt, iterations, bytes, hash);
}

export function scramHmac(mechanism: ScramMechanism, key: Buffer, data: string): Buffer {
  return createHmac(HASHES[mechanism].hash, key).update(data).digest();
}

export function scramHash(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(HASHES[mechanism].hash).update(data).digest();
}

/** What a server keeps of a salted password (ScramFormatter): StoredKey = H(HMAC(salted, "Client Key")), ServerKey = HMAC(salted, "Server Key"). */
export function scramKeys(mechanism: ScramMechanism, salted: Buffer): { storedKey: Buffer; serverKey: Buffer } {
  return {
    storedKey: scramHash(mechanism, scramHmac(mechanism, salted, 'Client Key')),
    serverKey: scramHmac(mechanism, salted, 'Server Key'),
  };
}

/** A SCRAM exchange the server broke off or that failed verification; one line. */
export class ScramError extends Error {}

/** `saslname` of RFC 5802: `=` and `,` are escaped. */
export function saslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** The `x=value` attributes of a SCRAM message. */
export function scramAttributes(message: string): Map<string, string> {
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
  private readonly firstBare: string;
  private serverSignature: Buffer | undefined;

  constructor(
    private readonly mechanism: ScramMechanism,
    username: string,
    private readonly password: string,
    private readonly nonce = randomBytes(24).toString('base64url'),
  ) {
    this.firstBare = `n=${saslName(username)},r=${nonce}`;
  }

  firstMessage(): Buffer {
    return Buffer.from(`n,,${this.firstBare}`);
  }

  finalMessage(serverFirstBytes: Buffer): Buffer {
    const serverFirst = serverFirstBytes.toString('utf8');
    const attrs = scramAttributes(serverFirst);
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
    const salted = saltPassword(this.mechanism, this.password, Buffer.from(salt, 'base64'), iterations);
    const clientKey = scramHmac(this.mechanism, salted, 'Client Key');
    const storedKey = scramHash(this.mechanism, clientKey);
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.firstBare},${serverFirst},${withoutProof}`;
    const signature = scramHmac(this.mechanism, storedKey, authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ signature[i]!;
    this.serverSignature = scramHmac(this.mechanism, scramHmac(this.mechanism, salted, 'Server Key'), authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`);
  }

  verifyServerFinal(serverFinalBytes: Buffer): void {
    const attrs = scramAttributes(serverFinalBytes.toString('utf8'));
    const error = attrs.get('e');
    if (error !== undefined) throw new ScramError(`SCRAM authentication failed: ${error}`);
    const verifier = Buffer.from(attrs.get('v') ?? '', 'base64');
    const expected = this.serverSignature;
    if (expected === undefined || verifier.length !== expected.length || !timingSafeEqual(verifier, expected)) {
      throw new ScramError('SCRAM server signature does not match: the server does not know the password');
    }
  }
}
