import type { Socket } from 'node:net';
import { JuteReader } from '../jute/reader.js';
import { JuteWriter } from '../jute/writer.js';
import { readConnectRequest, type ConnectRequest } from '../jute/records.js';
import { KeeperState, Xid } from '../protocol/codes.js';
import type { AuthId } from '../tree/acl.js';
import type { TreeEvent } from '../tree/data-tree.js';
import type { Watcher } from '../watches/watch-manager.js';
import { KNOWN_WORDS } from './four-letter-words.js';

/** What a connection needs from the server. */
export interface ConnectionHost {
  readonly maxBuffer: number;
  fourLetterWord(word: string): string;
  connect(conn: Connection, req: ConnectRequest): void;
  request(conn: Connection, xid: number, type: number, body: JuteReader): void;
  closed(conn: Connection): void;
  /** Defers output until every write applied so far is durable. */
  whenDurable(fn: () => void): void;
}

/** Output queued beyond this pauses reading, so a client that never reads cannot grow our memory. */
const HIGH_WATER = 4 * 1024 * 1024;

/**
 * One client TCP connection (NIOServerCnxn): length-prefixed framing bounded by jute.maxbuffer,
 * the admin words on a fresh connection, the connect handshake, then requests in order.
 */
export class Connection implements Watcher {
  sessionId: bigint | undefined;
  /** ip:<address> always; digest ids as the client authenticates. */
  readonly ids: AuthId[];
  readonly address: string;
  received = 0;
  sent = 0;
  private pending: Buffer | undefined;
  private started = false;
  private isClosed = false;

  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    const ip = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    this.address = `${ip}:${socket.remotePort ?? 0}`;
    this.ids = [{ scheme: 'ip', id: ip }];
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => socket.resume());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Sends a frame once it may be seen (after the writes before it are durable). */
  send(frame: Buffer[]): void {
    this.host.whenDurable(() => this.write(frame));
  }

  /** A reply frame: ReplyHeader then, on success, the body. */
  reply(xid: number, zxid: number, err: number, body?: (w: JuteWriter) => void): void {
    const w = new JuteWriter(body ? 256 : 16);
    w.int32(xid);
    w.long(zxid);
    w.int32(err);
    if (err === 0) body?.(w);
    this.send(w.frame());
  }

  notify(event: TreeEvent): void {
    const w = new JuteWriter(64);
    w.int32(Xid.notification);
    w.long(-1);
    w.int32(0);
    w.int32(event.type);
    w.int32(KeeperState.SyncConnected);
    w.ustring(event.path);
    this.send(w.frame());
  }

  /** Closes once the queued output has gone out. */
  closeAfterOutput(): void {
    this.host.whenDurable(() => {
      if (!this.isClosed) this.socket.end();
      this.close();
    });
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.pending = undefined;
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.destroy();
    this.host.closed(this);
  }

  private write(frame: Buffer[]): void {
    if (this.isClosed || this.socket.destroyed) return;
    this.sent++;
    const ok = this.socket.write(frame.length === 1 ? frame[0]! : Buffer.concat(frame));
    if (!ok && this.socket.writableLength > HIGH_WATER) this.socket.pause();
  }

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    while (buf.length - pos >= 4 && !this.isClosed) {
      if (!this.started) {
        const word = buf.toString('latin1', pos, pos + 4);
        if (KNOWN_WORDS.has(word)) {
          this.started = true;
          this.socket.end(this.host.fourLetterWord(word));
          this.isClosed = true;
          this.host.closed(this);
          return;
        }
      }
      const length = buf.readInt32BE(pos);
      if (length < 0 || length > this.host.maxBuffer) return this.close();
      if (buf.length - pos - 4 < length) break;
      const frame = buf.subarray(pos + 4, pos + 4 + length);
      pos += 4 + length;
      this.received++;
      try {
        this.handle(frame);
      } catch {
        // Undecodable bytes: this connection only is dropped (its session lives on until it expires).
        return this.close();
      }
    }
    this.pending = pos === buf.length ? undefined : buf.subarray(pos);
  }

  private handle(frame: Buffer): void {
    const r = new JuteReader(frame);
    if (!this.started) {
      this.started = true;
      this.host.connect(this, readConnectRequest(r));
      return;
    }
    if (this.sessionId === undefined) throw new Error('request before the session was established');
    const xid = r.int32();
    const type = r.int32();
    this.host.request(this, xid, type, r);
  }
}
