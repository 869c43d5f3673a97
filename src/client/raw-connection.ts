import { connect, isIP, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { FrameSplitter } from '../protocol/frame-splitter.js';
import { decodeResponse, encodeRequest } from '../protocol/framing.js';
import type { ApiMessages } from '../protocol/generated/apis.js';
import { API_INFO, type ApiKey } from '../protocol/generated/api-info.js';
import { formatBroker } from './bootstrap.js';
import { fetchBrokerVersions, type BrokerVersions } from './api-versions.js';
import type { KafkaRequester } from './kafka-requester.js';
import { saslAuthenticate, type SaslCredentials } from './sasl-authenticate.js';
import { importTls } from '../util/dynamic-import.js';
import { withExtraCaCertificates } from './extra-ca-certificates.js';

const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
/** Kafka's socket.connection.setup.timeout.ms and request.timeout.ms defaults. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** A broker accepted the connection but did not answer a request in time; the message names both. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
}

/** The TCP connection (or TLS handshake) to a broker did not complete in time. */
export class ConnectTimeoutError extends Error {
  override name = 'ConnectTimeoutError';
}

export interface OpenOptions {
  clientId?: string;
  /** socket.connection.setup.timeout.ms: bounds the TCP connection and the TLS handshake. */
  timeoutMs?: number;
  /** request.timeout.ms: bounds each request of the handshake (ApiVersions, SASL). */
  requestTimeoutMs?: number;
  /** Connect with TLS (security.protocol SSL or SASL_SSL) using these options. */
  tls?: ConnectionOptions;
  /** Authenticate after connecting (SASL_PLAINTEXT or SASL_SSL). */
  sasl?: SaslCredentials;
  /** Ask the broker for its API versions (done anyway for SASL); they end up in `versions`. */
  negotiateVersions?: boolean;
  /** Sent in ApiVersions v3 (KIP-511). */
  softwareVersion?: string;
}

interface Pending {
  resolve(frame: Buffer): void;
  reject(err: Error): void;
}

/** A write held back while the connection re-authenticates. */
interface Held {
  write(): void;
  reject(err: Error): void;
}

/**
 * One connection speaking Kafka's protocol through kts's own codecs: the transport of kts's
 * clients and tools (requests at exact versions, ApiVersions listings).
 * Plain TCP or TLS, optionally SASL-authenticated. Requests may be pipelined; responses arrive
 * in request order.
 */
export class RawKafkaConnection implements KafkaRequester {
  private readonly frames = new FrameSplitter(MAX_RESPONSE_BYTES);
  private readonly pending: Pending[] = [];
  private correlationId = 0;
  private unwritten = 0;
  private failure: Error | null = null;
  private readonly failureListeners: Array<(err: Error) => void> = [];
  /** While re-authenticating (KIP-368): the writes of other requests, sent once it is done. */
  private held: Held[] | null = null;
  /** When and how to log in again (KIP-368), for a SASL session with a lifetime. */
  private reauth: { atMs: number; sasl: SaslCredentials; timeoutMs: number } | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string,
    /** `host:port`, for messages. */
    readonly address: string,
  ) {
    socket.on('data', (data: Buffer) => {
      try {
        for (const frame of this.frames.push(data)) this.pending.shift()?.resolve(frame);
      } catch (err) {
        this.fail(err as Error);
        socket.destroy();
      }
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed by the broker')));
  }

  /** What the broker listed in ApiVersions, when `negotiateVersions` or `sasl` asked for it. */
  versions: BrokerVersions | null = null;

  /**
   * Connects, over TLS when asked, then negotiates versions and authenticates as asked. Whatever
   * fails, the socket is closed and the promise rejects with the underlying error.
   */
  static async open(host: string, port: number, options: OpenOptions = {}): Promise<RawKafkaConnection> {
    const socket = await connectSocket(host, port, options.tls, options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    const conn = new RawKafkaConnection(socket, options.clientId ?? 'kts', formatBroker({ host, port }));
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    conn.handshakeTimeoutMs = requestTimeoutMs;
    try {
      if (options.negotiateVersions || options.sasl) {
        conn.versions = await fetchBrokerVersions(conn, options.softwareVersion ?? '0');
      }
      if (options.sasl) {
        const lifetimeMs = await saslAuthenticate(conn, conn.versions!, options.sasl);
        conn.reauthenticateAfter(lifetimeMs, options.sasl, requestTimeoutMs);
      }
      return conn;
    } catch (err) {
      conn.close();
      throw err;
    } finally {
      conn.handshakeTimeoutMs = undefined;
    }
  }

  /** While opening: each request's deadline (request.timeout.ms). */
  private handshakeTimeoutMs: number | undefined;

  /** True once the connection failed or was closed: every request from then on rejects. */
  get failed(): boolean {
    return this.failure !== null;
  }

  /** Requests sent and not yet answered, or (without a response) not yet written. */
  get inFlight(): number {
    return this.pending.length + this.unwritten + (this.held?.length ?? 0);
  }

  /**
   * KIP-368 on the client's side: a broker with connections.max.reauth.ms gives each login a
   * lifetime and closes the connection on its first request after it, unless that request begins
   * a re-authentication. As Kafka's clients, this one logs in again on the same connection
   * (SaslHandshake, then SaslAuthenticate) before the first request it sends once 85-95 % of the
   * lifetime has passed, holding that request and any later one until the exchange completes:
   * the broker serves only the exchange meanwhile, and answers what was sent before it first.
   * Checked per request rather than by a timer, so a busy event loop cannot let a request slip
   * out after the deadline. A refused re-authentication closes the connection, which its users
   * treat as any lost connection.
   */
  private reauthenticateAfter(lifetimeMs: number, sasl: SaslCredentials, timeoutMs: number): void {
    this.reauth = lifetimeMs > 0 ? { atMs: Date.now() + lifetimeMs * (0.85 + 0.1 * Math.random()), sasl, timeoutMs } : undefined;
  }

  private reauthenticateIfDue(): void {
    const due = this.reauth;
    if (due === undefined || this.held !== null || Date.now() < due.atMs) return;
    this.reauth = undefined;
    void this.reauthenticate(due.sasl, due.timeoutMs);
  }

  private async reauthenticate(sasl: SaslCredentials, timeoutMs: number): Promise<void> {
    this.held = [];
    const connection = this;
    const direct: KafkaRequester = {
      request: (apiKey, version, body) => this.exchange(apiKey, version, body, timeoutMs, true),
      get failed() {
        return connection.failed;
      },
    };
    try {
      const lifetimeMs = await saslAuthenticate(direct, this.versions!, sasl);
      const held = this.held;
      this.held = null;
      for (const h of held) h.write();
      this.reauthenticateAfter(lifetimeMs, sasl, timeoutMs);
    } catch (err) {
      this.close(new Error(`re-authentication with ${this.address} failed: ${(err as Error).message}`));
    }
  }

  /**
   * Sends one request and resolves to its decoded response body. Without an answer within
   * `timeoutMs` the connection is closed and the request fails with a RequestTimeoutError, as
   * Kafka's NetworkClient disconnects on request.timeout.ms.
   */
  request<K extends ApiKey>(
    apiKey: K,
    version: number,
    body: ApiMessages[K]['request'],
    timeoutMs = this.handshakeTimeoutMs,
  ): Promise<ApiMessages[K]['response']> {
    return this.exchange(apiKey, version, body, timeoutMs, false);
  }

  /** `request`; `now` writes it even while other writes are held (the re-authentication's own). */
  private async exchange<K extends ApiKey>(
    apiKey: K,
    version: number,
    body: ApiMessages[K]['request'],
    timeoutMs: number | undefined,
    now: boolean,
  ): Promise<ApiMessages[K]['response']> {
    const correlationId = this.correlationId++;
    const sent = this.send(encodeRequest(apiKey, version, correlationId, this.clientId, body), now);
    const frame = timeoutMs === undefined ? await sent : await this.withinTimeout(sent, apiKey, timeoutMs);
    const response = decodeResponse(apiKey, version, frame);
    if (response.correlationId !== correlationId) {
      throw new Error(`response correlation id ${response.correlationId} does not match request ${correlationId}`);
    }
    return response.body;
  }

  /**
   * Sends a request that gets no response (Produce with acks=0). `onWritten` runs once the socket
   * has written it (or failed to), which is when Kafka's producer considers such records sent.
   */
  sendOnly<K extends ApiKey>(apiKey: K, version: number, body: ApiMessages[K]['request'], onWritten?: (err: Error | null) => void): void {
    if (this.failure) {
      onWritten?.(this.failure);
      return;
    }
    const chunks = encodeRequest(apiKey, version, this.correlationId++, this.clientId, body);
    this.unwritten++;
    const written = (err: Error | null | undefined): void => {
      this.unwritten--;
      onWritten?.(err ? (this.failure ?? err) : null);
    };
    const write = (): void => this.write(chunks, written);
    this.reauthenticateIfDue();
    if (this.held !== null) this.held.push({ write, reject: written });
    else write();
  }

  private async withinTimeout<T>(answer: Promise<T>, apiKey: ApiKey, timeoutMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new RequestTimeoutError(
          `${API_INFO[apiKey].name} request to ${this.address} timed out after ${timeoutMs} ms (request.timeout.ms)`,
        );
        this.close(err);
        reject(err);
      }, timeoutMs);
    });
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the socket; requests still waiting reject with `reason`. */
  close(reason = new Error('connection closed')): void {
    this.fail(reason);
    this.socket.destroy();
  }

  /** Calls `listener` once, when the connection fails or closes. */
  onFailure(listener: (err: Error) => void): void {
    if (this.failure) listener(this.failure);
    else this.failureListeners.push(listener);
  }

  private send(chunks: Buffer[], now = false): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      // Responses are matched to requests in the order they were written.
      const write = (): void => {
        this.pending.push({ resolve, reject });
        this.write(chunks);
      };
      if (!now) this.reauthenticateIfDue();
      if (this.held !== null && !now) this.held.push({ write, reject });
      else write();
    });
  }

  /** One request's buffers in one corked write; `written` when the socket is done with the last. */
  private write(chunks: readonly Buffer[], written?: (err: Error | null | undefined) => void): void {
    this.socket.cork();
    for (let i = 0; i < chunks.length - 1; i++) this.socket.write(chunks[i]!);
    this.socket.write(chunks[chunks.length - 1]!, written);
    this.socket.uncork();
  }

  private fail(err: Error): void {
    if (this.failure === null) {
      this.failure = err;
      for (const listener of this.failureListeners.splice(0)) listener(err);
    }
    for (const p of this.pending.splice(0)) p.reject(this.failure);
    for (const h of this.held?.splice(0) ?? []) h.reject(this.failure);
  }
}

/**
 * A TCP or TLS socket, connected (TLS: handshake done) within `timeoutMs`. node:tls (with what it
 * loads) is loaded only for a TLS connection: a command's start-up pays for it only when it uses it.
 */
async function connectSocket(host: string, port: number, tls: ConnectionOptions | undefined, timeoutMs: number): Promise<Socket> {
  const tlsModule = tls && (await importTls());
  const socket = tlsModule
    ? tlsModule.connect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...withExtraCaCertificates(tlsModule, tls) })
    : connect({ host, port, noDelay: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      const message = `timed out connecting to ${formatBroker({ host, port })} after ${timeoutMs} ms (socket.connection.setup.timeout.ms)`;
      reject(Object.assign(new ConnectTimeoutError(message), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}
