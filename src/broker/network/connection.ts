import type { Socket } from 'node:net';
import { FrameSplitter } from '../../protocol/frame-splitter.js';
import { UnsupportedRequestError } from '../../protocol/header.js';
import { API_INFO, ApiKey } from '../../protocol/generated/api-info.js';
import { ProtocolError } from '../../protocol/primitives/protocol-error.js';
import { decodeServedRequest, encodeServedResponse, type CodecLookup, type DecodedRequest } from '../../protocol/server-framing.js';
import type { SaslAuthenticator, Session } from '../security/sasl-authenticator.js';
import type { FramePool } from './frame-pool.js';
import { ResponseQueue } from './response-queue.js';

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly listenerName: string;
  /** Who the client is (principal, address) and, on a SASL listener, its authentication. */
  readonly session: Session;
  /** Drops the connection; `reason` goes to the server's error callback. */
  close(reason?: string): void;
}

/** What connections need from the server: the codecs of the APIs it answers, and the answers. */
export interface RequestRouter {
  readonly codecOf: CodecLookup;
  /** Resolves to the response body, or null when none is sent (acks=0). */
  dispatch(request: DecodedRequest, connection: ConnectionInfo): Promise<unknown | null>;
}

/** Answers an ApiVersions request of a version we don't know (the client retries lower). */
export type UnsupportedApiVersionsReply = () => unknown;

export interface ConnectionOptions {
  maxRequestBytes: number;
  idleTimeoutMs: number;
  /** Requests dispatched but not yet answered before dispatching and reading pause (pipelining clients). */
  maxInFlight: number;
  /** Response bytes built but not yet sent (held in order or in the socket's buffer) above which dispatching and reading pause. */
  maxQueuedResponseBytes: number;
  router: RequestRouter;
  apiVersionsFallback: UnsupportedApiVersionsReply;
  /** The connection was closed for `reason` (idle, malformed bytes, ...): routine, the client's doing. */
  onError(connection: ConnectionInfo, reason: string): void;
  /** A handler failed on a well-formed request, and the connection was closed: a broker bug. */
  onHandlerFailure(connection: ConnectionInfo, message: string): void;
}

/** What a SASL connection may ask before it has authenticated: nothing but the exchange itself (and ApiVersions first). */
const BEFORE_AUTHENTICATION: Record<'handshake' | 'authenticate', readonly ApiKey[]> = {
  handshake: [ApiKey.ApiVersions, ApiKey.SaslHandshake],
  authenticate: [ApiKey.SaslAuthenticate],
};

/**
 * One client connection: int32-framed requests in, responses out in request order. Pipelined
 * requests are dispatched concurrently, except that a Fetch waits for the previous Fetch's
 * response to be built, and nothing is dispatched while `maxInFlight` requests are unanswered or
 * more than `maxQueuedResponseBytes` of responses wait to be sent; reading pauses meanwhile, so a
 * client cannot make the broker hold more than about one Fetch response beyond that cap. Any
 * framing or decoding error closes this connection only.
 */
export class Connection implements ConnectionInfo {
  private readonly frames: FrameSplitter;
  private readonly responses: ResponseQueue;
  /** Frames read but not yet dispatched: reading pauses while any wait, so at most one received chunk's worth. */
  private readonly waiting: Buffer[] = [];
  private fetchInFlight = false;
  private closed = false;
  private endWhenAnswered = false;
  /**
   * Read at accept: Node asks the kernel (getpeername) on first use, and a client that has reset
   * the connection by then has no peer any more.
   */
  readonly remoteAddress: string;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    readonly listenerName: string,
    readonly session: Session,
    private readonly options: ConnectionOptions,
    private readonly framePool: FramePool,
  ) {
    this.remoteAddress = peerAddress(socket);
    // Until a SASL client has authenticated, requests are bounded by sasl.server.max.receive.size.
    this.frames = new FrameSplitter(session.sasl?.settings.maxReceiveSize ?? options.maxRequestBytes, (size, head) =>
      isProduce(head) ? framePool.take(size) : Buffer.allocUnsafe(size),
    );
    this.responses = new ResponseQueue((chunks) => this.write(chunks));
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs, () => this.close('idle'));
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('drain', () => this.pump());
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.options.onError(this, reason);
    this.socket.destroy();
  }

  /** Graceful: answer what was already read, then end the socket. */
  end(): void {
    this.endWhenAnswered = true;
    this.pump();
  }

  private onData(data: Buffer): void {
    try {
      for (const frame of this.frames.push(data)) this.waiting.push(frame);
    } catch (err) {
      this.close(err instanceof Error ? err.message : String(err));
      return;
    }
    this.pump();
  }

  /** Dispatches waiting frames as far as the limits allow, then pauses or resumes reading to match. */
  private pump(): void {
    while (!this.closed && this.waiting.length > 0 && this.mayDispatch(this.waiting[0]!)) this.onFrame(this.waiting.shift()!);
    if (this.closed) return;
    if (this.endWhenAnswered) {
      this.socket.pause();
      if (this.waiting.length === 0 && this.responses.pending === 0 && !this.socket.writableEnded) this.socket.end();
    } else if (this.waiting.length > 0 || this.saturated()) {
      this.socket.pause();
    } else {
      this.socket.resume();
    }
  }

  private saturated(): boolean {
    const unsent = this.responses.queuedBytes + this.socket.writableLength;
    return this.responses.pending >= this.options.maxInFlight || unsent > this.options.maxQueuedResponseBytes;
  }

  /**
   * One Fetch at a time: each may read up to fetch.max.bytes from disk, and real clients never
   * pipeline them. Until authenticated, one request at a time, as Kafka's authenticator reads them:
   * each SASL token waits for the answer to the one before.
   */
  private mayDispatch(frame: Buffer): boolean {
    if (!this.session.authenticated && this.responses.pending > 0) return false;
    return !this.saturated() && !(this.fetchInFlight && frame.length >= 2 && frame.readInt16BE(0) === ApiKey.Fetch);
  }

  private onFrame(frame: Buffer): void {
    const { sasl } = this.session;
    if (sasl !== undefined && sasl.state !== 'complete' && sasl.rawTokens) {
      this.onRawToken(frame, sasl);
      return;
    }
    let request: DecodedRequest;
    try {
      request = decodeServedRequest(frame, this.options.router.codecOf);
    } catch (err) {
      this.onUndecodable(err);
      return;
    }
    if (sasl?.state === 'complete' && !this.mayContinueSession(sasl, request)) return;
    if (sasl !== undefined && sasl.state !== 'complete') {
      if (sasl.state === 'failed') return;
      if (!BEFORE_AUTHENTICATION[sasl.state].includes(request.apiKey)) {
        // Unanswered: what was asked before is answered, then the connection closes.
        sasl.state = 'failed';
        this.options.onError(this, `Unexpected Kafka request of type ${API_INFO[request.apiKey].name} during SASL handshake.`);
        this.end();
        return;
      }
    }
    this.dispatch(request, frame);
  }

  /**
   * KIP-368 on an authenticated connection, as Kafka's SocketServer: a SaslHandshake may begin
   * re-authentication (then only the exchange is served, with sasl.server.max.receive.size frames,
   * until it completes); otherwise a request after the session expired closes the connection.
   */
  private mayContinueSession(sasl: SaslAuthenticator, request: DecodedRequest): boolean {
    const now = performance.now();
    if (request.apiKey === ApiKey.SaslHandshake && sasl.beginReauthentication(now)) {
      this.frames.maxFrameBytes = sasl.settings.maxReceiveSize;
      return true;
    }
    if (!sasl.expired(now)) return true;
    this.close(`SASL session expired (connections.max.reauth.ms): ${API_INFO[request.apiKey].name} sent without re-authenticating`);
    return false;
  }

  /**
   * A bare SASL token (after SaslHandshake v0, as kafka-python sends them): answered by a bare
   * token; a refusal closes the connection after connection.failed.authentication.delay.ms.
   */
  private onRawToken(frame: Buffer, sasl: SaslAuthenticator): void {
    if (sasl.state === 'failed') return;
    const reply = this.responses.reserve();
    void sasl.token(frame).then((result) => {
      if (!result.ok) {
        this.close(this.authenticationFailure(sasl));
        reply(null);
        return;
      }
      const size = Buffer.alloc(4);
      size.writeInt32BE(result.challenge.length);
      reply([size, result.challenge]);
      this.afterAuthenticationStep();
      this.pump();
    });
  }

  /** As Kafka logs it; the answer was already held for connection.failed.authentication.delay.ms. */
  private authenticationFailure(sasl: SaslAuthenticator): string {
    return `Failed authentication with ${this.session.clientHost} (${sasl.failure})`;
  }

  /** Once authenticated, requests may be as large as socket.request.max.bytes. */
  private afterAuthenticationStep(): void {
    if (this.session.authenticated) this.frames.maxFrameBytes = this.options.maxRequestBytes;
  }

  /** `frame` is the request's bytes: a Produce frame from the pool goes back to it once the request is answered. */
  private dispatch(request: DecodedRequest, frame: Buffer): void {
    const { apiKey, apiVersion, header } = request;
    const isFetch = apiKey === ApiKey.Fetch;
    if (isFetch) this.fetchInFlight = true;
    const reserved = this.responses.reserve();
    const reply = (chunks: Buffer[] | null) => {
      if (isFetch) this.fetchInFlight = false;
      reserved(chunks);
      this.afterAuthenticationStep();
      // A refused SASL exchange: its answer goes out, then the connection closes.
      if (this.session.sasl?.state === 'failed' && !this.endWhenAnswered) {
        this.options.onError(this, this.authenticationFailure(this.session.sasl));
        this.end();
      }
      this.pump();
    };
    // Encoding runs inside the promise chain too, so a response the codec refuses closes this
    // connection instead of escaping as an unhandled rejection.
    const { router } = this.options;
    const { codec } = router.codecOf(apiKey)!;
    router
      .dispatch(request, this)
      .then((body) => {
        reply(body === null ? null : encodeServedResponse(codec, apiKey, apiVersion, header.correlationId, body));
        // Its records are in the log and nothing holds a view of them: the frame's buffer may serve
        // the next one. (Not after a failure, when parts of the request may still be under way.)
        if (apiKey === ApiKey.Produce) this.framePool.give(frame);
      })
      .catch((err: unknown) => {
        this.options.onHandlerFailure(
          this,
          `${API_INFO[apiKey].name} v${apiVersion} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
        this.close();
        reply(null);
      });
  }

  /** ApiVersions of a version we don't know gets a v0 answer (KIP-511); anything else undecodable closes. */
  private onUndecodable(err: unknown): void {
    const apiVersions = this.options.router.codecOf(ApiKey.ApiVersions);
    if (err instanceof UnsupportedRequestError && err.header.requestApiKey === ApiKey.ApiVersions && apiVersions) {
      const reply = this.responses.reserve();
      reply(encodeServedResponse(apiVersions.codec, ApiKey.ApiVersions, 0, err.header.correlationId, this.options.apiVersionsFallback()));
      return;
    }
    this.close(err instanceof ProtocolError || err instanceof Error ? err.message : String(err));
  }

  private write(chunks: Buffer[]): void {
    if (this.closed) return;
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }
}

/** `host:port` of the peer, or `unknown` when it reset before the connection was accepted. */
function peerAddress(socket: Socket): string {
  const { remoteAddress: host, remotePort: port } = socket;
  return host === undefined || port === undefined ? 'unknown' : `${host}:${port}`;
}

/** A request frame starts with its int16 api key; `head` is its first received bytes. */
function isProduce(head: Buffer): boolean {
  return head.length >= 2 && head.readInt16BE(0) === ApiKey.Produce;
}
