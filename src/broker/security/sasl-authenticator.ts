import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { isScramMechanism } from '../../client/scram.js';
import type { ListenerSasl, ListenerSecurity } from './listener-security.js';
import { peerDistinguishedName } from './ssl-principal-mapper.js';
import { PlainSaslServer, SaslAuthenticationFailure, type SaslServer } from './sasl-server.js';
import { type ScramCredentialLookup, ScramSaslServer } from './scram-sasl-server.js';

/**
 * Where a SASL connection stands: waiting for SaslHandshake (ApiVersions allowed), exchanging
 * tokens, authenticated, or refused (the connection is closing).
 */
export type SaslState = 'handshake' | 'authenticate' | 'complete' | 'failed';

export type HandshakeResult = { errorCode: 'NONE' | 'UNSUPPORTED_SASL_MECHANISM'; mechanisms: readonly string[] };

export type TokenResult = { ok: true; challenge: Buffer } | { ok: false; message: string };

/**
 * The server side of one connection's SASL authentication, as Kafka's SaslServerAuthenticator:
 * SaslHandshake picks a mechanism the listener enables; with handshake v1 the tokens then come in
 * SaslAuthenticate requests, with v0 as bare size-prefixed frames (`rawTokens`). Until complete,
 * the connection serves nothing else.
 */
export class SaslAuthenticator {
  state: SaslState = 'handshake';
  /** Handshake v0: tokens are bare frames rather than SaslAuthenticate requests. */
  rawTokens = false;
  /** Why authentication failed, for the broker's log. */
  failure: string | undefined;
  #server: SaslServer | undefined;

  constructor(
    readonly settings: ListenerSasl,
    private readonly scramCredential: ScramCredentialLookup,
  ) {}

  get mechanism(): string | undefined {
    return this.#server?.mechanism;
  }

  /** The authenticated user; only meaningful once complete. */
  get authorizationId(): string {
    return this.#server?.authorizationId ?? '';
  }

  handshake(mechanism: string, version: number): HandshakeResult {
    const { mechanisms } = this.settings;
    if (!mechanisms.includes(mechanism)) {
      this.state = 'failed';
      this.failure = `Unsupported SASL mechanism ${mechanism}`;
      return { errorCode: 'UNSUPPORTED_SASL_MECHANISM', mechanisms };
    }
    this.#server =
      mechanism === 'PLAIN'
        ? new PlainSaslServer(this.settings.plainUsers)
        : isScramMechanism(mechanism)
          ? new ScramSaslServer(mechanism, this.scramCredential)
          : undefined;
    this.rawTokens = version === 0;
    this.state = 'authenticate';
    return { errorCode: 'NONE', mechanisms };
  }

  /** One client token: the challenge to answer with, or why authentication failed (the state is then 'failed'). */
  token(token: Buffer): TokenResult {
    const server = this.#server!;
    try {
      const challenge = server.evaluate(token);
      if (server.complete) this.state = 'complete';
      return { ok: true, challenge };
    } catch (err) {
      this.state = 'failed';
      this.failure = err instanceof Error ? err.message : String(err);
      // As Kafka: a SaslAuthenticationException's own words; anything else a generic line naming the mechanism.
      const message =
        err instanceof SaslAuthenticationFailure
          ? err.message
          : `Authentication failed during authentication due to invalid credentials with SASL mechanism ${server.mechanism}`;
      return { ok: false, message };
    }
  }
}

/**
 * Who is on the other end of a connection, for authorization and logs: Kafka's principal
 * (`User:ANONYMOUS` until a SASL login or a client certificate names someone) and the client's
 * address without the port.
 */
export class Session {
  constructor(
    /** The principal before (or without) SASL: ANONYMOUS, or a client certificate's mapped name. */
    private readonly transportPrincipal: string,
    readonly clientHost: string,
    readonly sasl?: SaslAuthenticator,
  ) {}

  get principal(): string {
    return this.sasl?.state === 'complete' ? `User:${this.sasl.authorizationId}` : this.transportPrincipal;
  }

  /** Whether requests other than ApiVersions and the SASL exchange may be served. */
  get authenticated(): boolean {
    return this.sasl === undefined || this.sasl.state === 'complete';
  }
}

export const ANONYMOUS = 'User:ANONYMOUS';

/**
 * The session of a new connection on a listener: ANONYMOUS, or on SSL the principal its client
 * certificate maps to, and on SASL listeners an authenticator. A string: why the connection is
 * refused (a certificate no mapping rule matches).
 */
export function openSession(security: ListenerSecurity, socket: Socket, scramCredential: ScramCredentialLookup): Session | string {
  const clientHost = socket.remoteAddress ?? '';
  if (security.sasl) return new Session(ANONYMOUS, clientHost, new SaslAuthenticator(security.sasl, scramCredential));
  if (security.principalMapper === undefined) return new Session(ANONYMOUS, clientHost);
  const dn = peerDistinguishedName(socket as TLSSocket);
  if (dn === undefined) return new Session(ANONYMOUS, clientHost);
  const name = security.principalMapper.map(dn);
  if (name === undefined) return `Failed authentication with ${clientHost} (no ssl.principal.mapping.rules rule matches ${dn})`;
  return new Session(`User:${name}`, clientHost);
}
