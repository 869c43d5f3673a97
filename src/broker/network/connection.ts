import type { Socket } from 'node:net';
import { FrameSplitter } from '../../protocol/frame-splitter.js';
import { UnsupportedRequestError } from '../../protocol/header.js';
import { API_INFO, ApiKey } from '../../protocol/generated/api-info.js';
import { ProtocolError } from '../../protocol/primitives/protocol-error.js';
import { decodeServedRequest, encodeServedResponse, type CodecLookup, type DecodedRequest } from '../../protocol/server-framing.js';
import { ResponseQueue } from './response-queue.js';

export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly listenerName: string;
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
  /** Requests read but not yet answered before reading pauses (backpressure on pipelining clients). */
  maxInFlight: number;
  router: RequestRouter;
  apiVersionsFallback: UnsupportedApiVersionsReply;
  onError(connection: ConnectionInfo, reason: string): void;
}

/**
 * One client connection: int32-framed requests in, responses out in request order. Reading
 * pauses while too many requests are unanswered or the socket's write side is saturated, so a
 * fast producer cannot make the broker buffer without bound. Any framing or decoding error closes
 * this connection only.
 */
export class Connection implements ConnectionInfo {
  private readonly frames: FrameSplitter;
  private readonly responses: ResponseQueue;
  private closed = false;
  private endWhenAnswered = false;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    readonly listenerName: string,
    private readonly options: ConnectionOptions,
  ) {
    this.frames = new FrameSplitter(options.maxRequestBytes);
    this.responses = new ResponseQueue((chunks) => this.write(chunks));
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs, () => this.close('idle'));
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('drain', () => this.resumeIfPossible());
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  get remoteAddress(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
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
    this.socket.pause();
    if (this.responses.pending === 0) this.socket.end();
    else this.endWhenAnswered = true;
  }

  private onData(data: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.frames.push(data);
    } catch (err) {
      this.close(err instanceof Error ? err.message : String(err));
      return;
    }
    for (const frame of frames) this.onFrame(frame);
    if (this.responses.pending >= this.options.maxInFlight) this.socket.pause();
  }

  private onFrame(frame: Buffer): void {
    if (this.closed) return;
    let request: DecodedRequest;
    try {
      request = decodeServedRequest(frame, this.options.router.codecOf);
    } catch (err) {
      this.onUndecodable(err);
      return;
    }
    const { apiKey, apiVersion, header } = request;
    const reply = this.responses.reserve();
    // Encoding runs inside the promise chain too, so a response the codec refuses closes this
    // connection instead of escaping as an unhandled rejection.
    const { router } = this.options;
    const codec = router.codecOf(apiKey)!;
    router
      .dispatch(request, this)
      .then((body) => reply(body === null ? null : encodeServedResponse(codec, apiKey, apiVersion, header.correlationId, body)))
      .catch((err: unknown) => {
        reply(null);
        this.close(`${API_INFO[apiKey].name} v${apiVersion} failed: ${err instanceof Error ? err.message : String(err)}`);
      });
  }

  /** ApiVersions of a version we don't know gets a v0 answer (KIP-511); anything else undecodable closes. */
  private onUndecodable(err: unknown): void {
    const apiVersions = this.options.router.codecOf(ApiKey.ApiVersions);
    if (err instanceof UnsupportedRequestError && err.header.requestApiKey === ApiKey.ApiVersions && apiVersions) {
      const reply = this.responses.reserve();
      reply(encodeServedResponse(apiVersions, ApiKey.ApiVersions, 0, err.header.correlationId, this.options.apiVersionsFallback()));
      return;
    }
    this.close(err instanceof ProtocolError || err instanceof Error ? err.message : String(err));
  }

  private write(chunks: Buffer[]): void {
    if (this.closed) return;
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
    if (this.endWhenAnswered && this.responses.pending === 0) this.socket.end();
    else if (this.socket.writableNeedDrain) this.socket.pause();
    else this.resumeIfPossible();
  }

  private resumeIfPossible(): void {
    if (this.closed || this.endWhenAnswered || this.socket.writableNeedDrain) return;
    if (this.responses.pending < this.options.maxInFlight) this.socket.resume();
  }
}
