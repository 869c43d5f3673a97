import { connect, type Socket } from 'node:net';
import { JuteReader } from '../jute/reader.js';
import { JuteWriter } from '../jute/writer.js';
import { readConnectResponse, writeConnectRequest, type ConnectRequest, type ConnectResponse } from '../jute/records.js';
import { OpCode, Xid } from '../protocol/codes.js';
import { formatServer, type ServerAddress } from './connect-string.js';

/**
 * Replies larger than this end the connection as garbage. Java clients stop at jute.maxbuffer (1 MiB
 * by default, often raised for Kafka); a server we chose to trust gets more room.
 */
const MAX_FRAME = 16 * 1024 * 1024;
/** Java's ClientCnxn pings at least this often, however long the session timeout. */
const MAX_PING_INTERVAL_MS = 10_000;

export interface ConnectionEvents {
  /** One reply or notification, after the handshake. */
  frame(r: JuteReader): void;
  /** The connection is gone (not called for close()); `reason` is one line. */
  lost(reason: string): void;
}

/**
 * One TCP connection to one server (ClientCnxnSocketNIO): int32-length framing, the ConnectRequest
 * handshake, then pings when nothing was sent for a third of the session timeout and a drop when
 * nothing arrived for two thirds of it.
 */
export class Connection {
  readonly label: string;
  private readonly socket: Socket;
  private pendingBytes: Buffer | undefined;
  private readonly output: Buffer[] = [];
  private lastSend = Date.now();
  private lastRecv = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private handshake: { resolve: (r: ConnectResponse) => void; reject: (e: Error) => void } | undefined;
  private established = false;
  private ended = false;
  private readTimeoutMs = 0;
  private pingIntervalMs = 0;

  constructor(
    server: ServerAddress,
    private readonly events: ConnectionEvents,
  ) {
    this.label = formatServer(server);
    this.socket = connect({ host: server.host, port: server.port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.lose(err.message));
    this.socket.on('close', () => this.lose('connection closed by the server'));
  }

  /** Sends the ConnectRequest; resolves with the server's answer, rejects after `timeoutMs` or on failure. */
  open(request: ConnectRequest, timeoutMs: number): Promise<ConnectResponse> {
    return new Promise((resolve, reject) => {
      this.handshake = { resolve, reject };
      this.timer = setTimeout(() => this.lose(`no session established within ${timeoutMs} ms`), timeoutMs);
      const w = new JuteWriter(64);
      writeConnectRequest(w, request);
      this.write(w.frame());
    });
  }

  /** Starts pinging and watching for silence, once the session is established on this connection. */
  keepAlive(sessionTimeoutMs: number): void {
    this.readTimeoutMs = Math.floor((sessionTimeoutMs * 2) / 3);
    this.pingIntervalMs = Math.min(Math.floor(sessionTimeoutMs / 3), MAX_PING_INTERVAL_MS);
    this.tick();
  }

  /**
   * Queues a frame; what is queued in one turn of the event loop (requests sent by the promise
   * callbacks of one batch of replies, say) goes out in one write.
   */
  write(frame: Buffer[]): void {
    if (this.ended) return;
    this.lastSend = Date.now();
    if (this.output.length === 0) process.nextTick(() => this.flush());
    this.output.push(...frame);
  }

  private flush(): void {
    const chunks = this.output.splice(0);
    if (!this.ended) this.socket.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  }

  /** Ends the connection on our side; `lost` is not called. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.socket.destroy();
    this.handshake?.reject(new Error('closed'));
    this.handshake = undefined;
  }

  /** Ends the connection because something went wrong: the handshake fails, or `lost` is called. */
  lose(reason: string): void {
    if (this.ended) return;
    const handshake = this.handshake;
    this.handshake = undefined;
    this.close();
    if (handshake) handshake.reject(new Error(`${this.label}: ${reason}`));
    else this.events.lost(reason);
  }

  private tick(): void {
    const now = Date.now();
    const idleRecv = now - this.lastRecv;
    if (idleRecv >= this.readTimeoutMs) return this.lose(`have not heard from the server in ${idleRecv} ms`);
    if (now - this.lastSend >= this.pingIntervalMs) this.ping();
    const next = Math.min(this.readTimeoutMs - idleRecv, this.pingIntervalMs - (Date.now() - this.lastSend));
    this.timer = setTimeout(() => this.tick(), Math.max(next, 1));
  }

  private ping(): void {
    const w = new JuteWriter(8);
    w.int32(Xid.ping);
    w.int32(OpCode.ping);
    this.write(w.frame());
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    this.lastRecv = Date.now();
    const buf = this.pendingBytes ? Buffer.concat([this.pendingBytes, chunk]) : chunk;
    let pos = 0;
    while (buf.length - pos >= 4 && !this.ended) {
      const length = buf.readInt32BE(pos);
      if (length < 0 || length > MAX_FRAME) return this.lose(`packet length ${length} is out of range`);
      if (buf.length - pos - 4 < length) break;
      const frame = buf.subarray(pos + 4, pos + 4 + length);
      pos += 4 + length;
      try {
        this.onFrame(new JuteReader(frame));
      } catch (err) {
        return this.lose(`undecodable reply: ${(err as Error).message}`);
      }
    }
    this.pendingBytes = pos === buf.length ? undefined : buf.subarray(pos);
  }

  private onFrame(r: JuteReader): void {
    if (this.established) return this.events.frame(r);
    const response = readConnectResponse(r);
    const handshake = this.handshake!;
    this.handshake = undefined;
    this.established = true;
    clearTimeout(this.timer);
    handshake.resolve(response);
  }
}
