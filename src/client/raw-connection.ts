import { connect, type Socket } from 'node:net';
import { FrameSplitter } from '../protocol/frame-splitter.js';
import { decodeResponse, encodeRequest } from '../protocol/framing.js';
import type { ApiKey, ApiMessages } from '../protocol/generated/apis.js';

const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

interface Pending {
  resolve(frame: Buffer): void;
  reject(err: Error): void;
}

/**
 * One connection speaking Kafka's protocol through kts's own codecs, for what kafkajs does not
 * expose (ApiVersions listings, exact request versions) and for benchmarks and tests. Requests
 * may be pipelined; responses arrive in request order.
 */
export class RawKafkaConnection {
  private readonly frames = new FrameSplitter(MAX_RESPONSE_BYTES);
  private readonly pending: Pending[] = [];
  private correlationId = 0;
  private failure: Error | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string,
  ) {
    socket.on('data', (data: Buffer) => {
      try {
        for (const frame of this.frames.push(data)) this.pending.shift()?.resolve(frame);
      } catch (err) {
        this.fail(err as Error);
      }
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed by the broker')));
  }

  static open(host: string, port: number, options: { clientId?: string; timeoutMs?: number } = {}): Promise<RawKafkaConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`timed out connecting to ${host}:${port}`));
      }, options.timeoutMs ?? 10_000);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RawKafkaConnection(socket, options.clientId ?? 'kts'));
      });
    });
  }

  /** Sends one request and resolves to its decoded response body. */
  async request<K extends ApiKey>(apiKey: K, version: number, body: ApiMessages[K]['request']): Promise<ApiMessages[K]['response']> {
    const correlationId = this.correlationId++;
    const frame = await this.send(encodeRequest(apiKey, version, correlationId, this.clientId, body));
    const response = decodeResponse(apiKey, version, frame);
    if (response.correlationId !== correlationId) {
      throw new Error(`response correlation id ${response.correlationId} does not match request ${correlationId}`);
    }
    return response.body;
  }

  /** Sends a request that gets no response (Produce with acks=0). */
  sendOnly<K extends ApiKey>(apiKey: K, version: number, body: ApiMessages[K]['request']): void {
    for (const chunk of encodeRequest(apiKey, version, this.correlationId++, this.clientId, body)) this.socket.write(chunk);
  }

  close(): void {
    this.socket.destroy();
  }

  private send(chunks: Buffer[]): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.cork();
      for (const chunk of chunks) this.socket.write(chunk);
      this.socket.uncork();
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.splice(0)) p.reject(this.failure);
  }
}
