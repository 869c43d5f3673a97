/**
 * One SASL mechanism's server side for one authentication (javax.security.sasl.SaslServer as
 * Kafka uses it): each client token in, the challenge to send back, until complete.
 */
export interface SaslServer {
  readonly mechanism: string;
  /** The challenge for the client's token; throws SaslAuthenticationFailure to refuse. */
  evaluate(token: Buffer): Buffer;
  readonly complete: boolean;
  /** The authenticated user, once complete. */
  readonly authorizationId: string;
}

/**
 * A refusal whose message goes back to the client (Kafka's SaslAuthenticationException). Other
 * failures (a malformed token) are answered with a generic message naming the mechanism.
 */
export class SaslAuthenticationFailure extends Error {}

/**
 * PLAIN (RFC 4616) as Kafka's PlainSaslServer: `authzid NUL authcid NUL passwd`, checked against
 * the `user_<name>="<password>"` options of the listener's PlainLoginModule JAAS entry.
 */
export class PlainSaslServer implements SaslServer {
  readonly mechanism = 'PLAIN';
  complete = false;
  authorizationId = '';

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  evaluate(token: Buffer): Buffer {
    const parts = token.toString('utf8').split('\0');
    if (parts.length !== 3) throw new SaslAuthenticationFailure(`Invalid SASL/PLAIN response: expected 3 tokens, got ${parts.length}`);
    const [authzid, username, password] = parts as [string, string, string];
    if (username === '') throw new SaslAuthenticationFailure('Authentication failed: username not specified');
    if (password === '') throw new SaslAuthenticationFailure('Authentication failed: password not specified');
    const expected = this.users.get(username);
    if (expected === undefined || expected !== password) {
      throw new SaslAuthenticationFailure('Authentication failed: Invalid username or password');
    }
    if (authzid !== '' && authzid !== username) {
      throw new SaslAuthenticationFailure('Authentication failed: Client requested an authorization id that is different from username');
    }
    this.authorizationId = username;
    this.complete = true;
    return Buffer.alloc(0);
  }
}
