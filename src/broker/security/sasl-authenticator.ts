import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { isScramMechanism } from '../../client/scram.js';
import type { FailedAuthenticationDelay } from './failed-authentication-delay.js';
import type { ListenerSasl, ListenerSecurity } from './listener-security.js';
import { peerDistinguishedName } from './ssl-principal-mapper.js';
import { PlainSaslServer, SaslAuthenticationFailure, type SaslServer } from './sasl-server.js';
import { type ScramCredentialLookup, ScramSaslServer } from './scram-sasl-server.js';

/**
 * Where a SASL connection stands: waiting for SaslHandshake (ApiVersions allowed), exchanging
 * tokens, authenticated, or refused (the connection is closing). Re-authentication (KIP-368) goes
 * through handshake and authenticate again.
 */
export type SaslState = 'handshake' | 'authenticate' | 'complete' | 'failed';

export type HandshakeResult = { errorCode: 'NONE' | 'UNSUPPORTED_SASL_MECHANISM'; mechanisms: readonly string[] };

/** `sessionLifetimeMs`: once the exchange completes, how long the session lasts (0: for ever), as SaslAuthenticate v1+ tells the client. */
export type TokenResult = { ok: true; challenge: Buffer; sessionLifetimeMs: number } | { ok: false; message: string };

/** Kafka's KafkaChannel: a connection may begin re-authenticating at most once a second. */
const MIN_REAUTHENTICATION_INTERVAL_MS = 1000;

/** What the first authentication settled, which re-authentication may not change. */
interface Authenticated {
  readonly mechanism: string;
  readonly user: string;
}

/**
 * The server side of one connection's SASL authentication, as Kafka's SaslServerAuthenticator:
 * SaslHandshake picks a mechanism the listener enables; with handshake v1 the tokens then come in
 * SaslAuthenticate requests, with v0 as bare size-prefixed frames (`rawTokens`). Until complete,
 * the connection serves nothing else. Each token is checked in its client address's turn
 * (`FailedAuthenticationDelay`). With `connections.max.reauth.ms` the session expires, and a
 * SaslHandshake on the authenticated connection begins re-authentication with the same mechanism
 * and user.
 */
export class SaslAuthenticator {
  state: SaslState = 'handshake';
  /** Handshake v0: tokens are bare frames rather than SaslAuthenticate requests. */
  rawTokens = false;
  /** Why authentication failed, for the broker's log. */
  failure: string | undefined;
  #server: SaslServer | undefined;
  /** Set by the first completed authentication; kept while re-authenticating. */
  #authenticated: Authenticated | undefined;
  #reauthenticating = false;
  /** Re-authentication with another mechanism: refused at its first token, as Kafka does. */
  #refusal: string | undefined;
  /** When the session expires (performance.now()), or undefined when it never does. */
  #expiresAt: number | undefined;
  #lastReauthenticationAt: number | undefined;

  constructor(
    readonly settings: ListenerSasl,
    private readonly clientHost: string,
    private readonly scramCredential: ScramCredentialLookup,
    private readonly failedDelay: FailedAuthenticationDelay,
  ) {}

  get mechanism(): string | undefined {
    return this.#server?.mechanism;
  }

  /** The authenticated user, kept while re-authenticating; undefined before the first authentication completes. */
  get authorizationId(): string | undefined {
    return this.#authenticated?.user;
  }

  /** Whether the session has a lifetime that has run out (Kafka's serverAuthenticationSessionExpired). */
  expired(now: number): boolean {
    return this.state === 'complete' && this.#expiresAt !== undefined && now > this.#expiresAt;
  }

  /**
   * A SaslHandshake on the authenticated connection: begins re-authentication if sessions expire
   * and the last one began at least a second ago (Kafka's maybeBeginServerReauthentication); else
   * false, and the handshake is answered ILLEGAL_SASL_STATE like any other.
   */
  beginReauthentication(now: number): boolean {
    if (this.state !== 'complete' || this.#expiresAt === undefined) return false;
    if (this.#lastReauthenticationAt !== undefined && now - this.#lastReauthenticationAt < MIN_REAUTHENTICATION_INTERVAL_MS) return false;
    this.#lastReauthenticationAt = now;
    this.#reauthenticating = true;
    this.state = 'handshake';
    return true;
  }

  handshake(mechanism: string, version: number): HandshakeResult {
    const { mechanisms } = this.settings;
    if (!mechanisms.includes(mechanism)) {
      this.state = 'failed';
      this.failure = `Unsupported SASL mechanism ${mechanism}`;
      return { errorCode: 'UNSUPPORTED_SASL_MECHANISM', mechanisms };
    }
    const previous = this.#authenticated?.mechanism;
    if (this.#reauthenticating && mechanism !== previous) {
      this.#refusal = `SASL mechanism '${mechanism}' requested by client is not supported for re-authentication of mechanism '${previous}'`;
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

  /**
   * One client token, checked in the client address's turn: the challenge to answer with, or
   * why authentication failed (the state is then 'failed', and the answer comes after
   * connection.failed.authentication.delay.ms).
   */
  token(token: Buffer): Promise<TokenResult> {
    return this.failedDelay.inTurn(
      this.clientHost,
      () => this.#evaluate(token),
      (result) => !result.ok,
    );
  }

  #evaluate(token: Buffer): TokenResult {
    const server = this.#server!;
    const stage = this.#reauthenticating ? 're-authentication' : 'authentication';
    try {
      if (this.#refusal !== undefined) throw new SaslAuthenticationFailure(this.#refusal);
      const challenge = server.evaluate(token);
      return { ok: true, challenge, sessionLifetimeMs: server.complete ? this.#complete(server) : 0 };
    } catch (err) {
      this.state = 'failed';
      this.failure = err instanceof Error ? err.message : String(err);
      // As Kafka: a SaslAuthenticationException's own words; anything else a generic line naming the mechanism.
      const message =
        err instanceof SaslAuthenticationFailure
          ? err.message
          : `Authentication failed during ${stage} due to invalid credentials with SASL mechanism ${server.mechanism}`;
      return { ok: false, message };
    }
  }

  /** The exchange succeeded: the session's lifetime from now (Kafka's calcCompletionTimesAndReturnSessionLifetimeMs). */
  #complete(server: SaslServer): number {
    const user = server.authorizationId;
    const previous = this.#authenticated?.user;
    if (previous !== undefined && user !== previous) {
      throw new SaslAuthenticationFailure(`Cannot change principals during re-authentication from User.${previous}: User.${user}`);
    }
    this.#authenticated = { mechanism: server.mechanism, user };
    this.#reauthenticating = false;
    this.state = 'complete';
    // PLAIN and SCRAM credentials do not expire: the lifetime is the listener's setting alone.
    const lifetimeMs = Math.max(0, this.settings.maxReauthMs.get(server.mechanism) ?? 0);
    this.#expiresAt = lifetimeMs > 0 ? performance.now() + lifetimeMs : undefined;
    return lifetimeMs;
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

  /** While re-authenticating, still the user the connection authenticated as. */
  get principal(): string {
    const user = this.sasl?.authorizationId;
    return user === undefined ? this.transportPrincipal : `User:${user}`;
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
export function openSession(
  security: ListenerSecurity,
  socket: Socket,
  scramCredential: ScramCredentialLookup,
  failedDelay: FailedAuthenticationDelay,
): Session | string {
  const clientHost = socket.remoteAddress ?? '';
  if (security.sasl)
    return new Session(ANONYMOUS, clientHost, new SaslAuthenticator(security.sasl, clientHost, scramCredential, failedDelay));
  if (security.principalMapper === undefined) return new Session(ANONYMOUS, clientHost);
  const dn = peerDistinguishedName(socket as TLSSocket);
  if (dn === undefined) return new Session(ANONYMOUS, clientHost);
  const name = security.principalMapper.map(dn);
  if (name === undefined) return `Failed authentication with ${clientHost} (no ssl.principal.mapping.rules rule matches ${dn})`;
  return new Session(`User:${name}`, clientHost);
}
