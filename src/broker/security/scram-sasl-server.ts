import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type ScramMechanism, scramAttributes, scramHash, scramHmac } from '../../client/scram.js';
import type { ScramCredential } from './scram-credential.js';
import type { SaslServer } from './sasl-server.js';

/** Looks up a user's credential for a mechanism; undefined for an unknown user. */
export type ScramCredentialLookup = (mechanism: ScramMechanism, user: string) => ScramCredential | undefined;

/** A token that breaks the exchange: answered with Kafka's generic SCRAM failure, never with why. */
class ScramExchangeError extends Error {}

/** `saslname` of RFC 5802 back to the user name: `=2C` is `,`, `=3D` is `=`. */
function userName(saslName: string): string {
  if (/=(?!2C|3D)/.test(saslName)) throw new ScramExchangeError('invalid username');
  return saslName.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/**
 * The server side of SCRAM (RFC 5802, RFC 7677) as Kafka's ScramSaslServer: client-first →
 * server-first (nonce, salt, iterations), client-final (proof) → server-final (signature). No
 * channel binding; an authorization id must equal the user name. Any failure is thrown; the
 * authenticator answers with Kafka's generic message, so a client cannot tell an unknown user
 * from a wrong password.
 */
export class ScramSaslServer implements SaslServer {
  complete = false;
  authorizationId = '';
  #step: 'first' | 'final' | 'done' = 'first';
  #clientFirstBare = '';
  #serverFirst = '';
  #gs2Header = '';
  #nonce = '';
  #credential: ScramCredential | undefined;

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly lookup: ScramCredentialLookup,
  ) {}

  evaluate(token: Buffer): Buffer {
    if (this.#step === 'first') return this.#first(token.toString('utf8'));
    if (this.#step === 'final') return this.#final(token.toString('utf8'));
    throw new ScramExchangeError('unexpected SCRAM message after completion');
  }

  #first(message: string): Buffer {
    // gs2-header: "n," or "y," (no channel binding), then an optional "a=<authzid>", then ",".
    const header = /^([ny]),(a=[^,]*)?,/.exec(message);
    if (header === null) throw new ScramExchangeError('invalid SCRAM client-first message');
    this.#gs2Header = header[0];
    this.#clientFirstBare = message.slice(header[0].length);
    const attrs = scramAttributes(this.#clientFirstBare);
    const saslName = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (saslName === undefined || clientNonce === undefined || clientNonce === '')
      throw new ScramExchangeError('invalid SCRAM client-first message');
    const user = userName(saslName);
    const authzid = header[2]?.slice(2);
    if (authzid !== undefined && userName(authzid) !== user) throw new ScramExchangeError('authorization id differs from the user name');
    this.#credential = this.lookup(this.mechanism, user);
    if (this.#credential === undefined) throw new ScramExchangeError('unknown user');
    this.authorizationId = user;
    this.#nonce = clientNonce + randomBytes(24).toString('base64url');
    this.#serverFirst = `r=${this.#nonce},s=${this.#credential.salt.toString('base64')},i=${this.#credential.iterations}`;
    this.#step = 'final';
    return Buffer.from(this.#serverFirst);
  }

  #final(message: string): Buffer {
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramExchangeError('invalid SCRAM client-final message');
    const withoutProof = message.slice(0, proofAt);
    const attrs = scramAttributes(withoutProof);
    // As Kafka checks it (endsWith): librdkafka repeats its own nonce in front of the combined one.
    if (!attrs.get('r')?.endsWith(this.#nonce)) throw new ScramExchangeError('Invalid client nonce in the final client message.');
    if (attrs.get('c') !== Buffer.from(this.#gs2Header).toString('base64')) throw new ScramExchangeError('invalid SCRAM channel binding');
    const credential = this.#credential!;
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const signature = scramHmac(this.mechanism, credential.storedKey, authMessage);
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    if (proof.length !== signature.length) throw new ScramExchangeError('invalid SCRAM proof');
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!timingSafeEqual(scramHash(this.mechanism, clientKey), credential.storedKey)) throw new ScramExchangeError('invalid SCRAM proof');
    this.#step = 'done';
    this.complete = true;
    return Buffer.from(`v=${scramHmac(this.mechanism, credential.serverKey, authMessage).toString('base64')}`);
  }
}
