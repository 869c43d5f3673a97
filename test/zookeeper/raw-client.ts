import { connect, type Socket } from 'node:net';
import { JuteReader } from '../../src/zookeeper/jute/reader.js';
import { JuteWriter } from '../../src/zookeeper/jute/writer.js';

export interface Reply {
  xid: number;
  zxid: number;
  err: number;
  body: JuteReader;
}

export interface Notification {
  type: number;
  path: string;
}

/**
 * A minimal jute client for protocol features no installed client library exposes (addWatch,
 * containers, TTL, getEphemerals, setWatches...). Replies are matched by xid.
 */
export class RawClient {
  readonly events: Notification[] = [];
  sessionId = 0n;
  passwd: Buffer = Buffer.alloc(16);
  timeout = 0;
  private xid = 1;
  private buf = Buffer.alloc(0);
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private onConnect: ((r: JuteReader) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', () => undefined);
  }

  static async open(port: number, opts: { sessionId?: bigint; passwd?: Buffer; timeout?: number } = {}): Promise<RawClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
      s.once('error', reject);
    });
    const c = new RawClient(socket);
    const w = new JuteWriter();
    w.int32(0);
    w.long(0);
    w.int32(opts.timeout ?? 10_000);
    w.long(opts.sessionId ?? 0n);
    w.buffer(opts.passwd ?? Buffer.alloc(16));
    w.bool(false);
    const answered = new Promise<JuteReader>((resolve) => (c.onConnect = resolve));
    socket.write(Buffer.concat(w.frame()));
    const r = await answered;
    r.int32();
    c.timeout = r.int32();
    c.sessionId = r.int64();
    c.passwd = r.buffer();
    return c;
  }

  /** Sends `type` with a body written by `write`; resolves with the reply. */
  call(type: number, write: (w: JuteWriter) => void = () => undefined): Promise<Reply> {
    const xid = this.xid++;
    const w = new JuteWriter();
    w.int32(xid);
    w.int32(type);
    write(w);
    const reply = new Promise<Reply>((resolve) => this.waiting.set(xid, resolve));
    this.socket.write(Buffer.concat(w.frame()));
    return reply;
  }

  /** Drops the TCP connection without closing the session. */
  drop(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
      const frame = this.buf.subarray(4, 4 + this.buf.readInt32BE(0));
      this.buf = this.buf.subarray(4 + frame.length);
      const r = new JuteReader(Buffer.from(frame));
      if (this.onConnect) {
        const done = this.onConnect;
        this.onConnect = undefined;
        done(r);
        continue;
      }
      const xid = r.int32();
      const zxid = r.long();
      const err = r.int32();
      if (xid === -1) {
        const type = r.int32();
        r.int32();
        this.events.push({ type, path: r.ustring() });
        continue;
      }
      this.waiting.get(xid)?.({ xid, zxid, err, body: r });
      this.waiting.delete(xid);
    }
  }
}
