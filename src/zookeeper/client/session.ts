import type { JuteReader } from '../jute/reader.js';
import { writeSetWatches } from '../jute/records.js';
import { JuteWriter } from '../jute/writer.js';
import { Err, KeeperError, OpCode, Xid } from '../protocol/codes.js';
import { formatServer, toClientPath, toServerPath, type ServerAddress } from './connect-string.js';
import { Connection } from './connection.js';
import { HostList } from './host-list.js';
import { BadReplyError, type Request } from './requests.js';
import { ClientWatches, watchEventType, type WatchEvent } from './watches.js';

export type ClientState = 'connected' | 'disconnected' | 'expired' | 'closed';
export type ClientLogLevel = 'info' | 'warn' | 'error';
export type ClientLogger = (level: ClientLogLevel, message: string) => void;

export interface SessionOptions {
  servers: readonly ServerAddress[];
  chroot: string | undefined;
  /** What the client asks for; the server grants a value within its min/max. */
  sessionTimeoutMs: number;
  log: ClientLogger;
  onState: (state: ClientState) => void;
}

/** A request on its way: queued until a connection exists, then sent and awaiting its reply. */
interface Packet {
  xid: number;
  request: Request<unknown>;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** Java's ClientCnxn keeps each SetWatches under this many path characters, for servers' jute.maxbuffer. */
const SET_WATCHES_MAX_LENGTH = 128 * 1024;
/** Before each reconnect, a random wait below this, so clients of a failed server do not all come back at once. */
const RECONNECT_JITTER_MS = 1000;
const MAX_XID = 0x7fffffff;

/**
 * One ZooKeeper session over successive connections (ClientCnxn): requests are pipelined and
 * answered in order; on connection loss the requests in flight fail with CONNECTIONLOSS, the
 * session moves to the next server of the ensemble with its id, password and the last zxid it saw,
 * and re-registers its watches (SetWatches) so none is lost. A server that answers the reconnect
 * with a timeout of 0 has expired the session: everything pending and everything later fails with
 * SESSIONEXPIRED. Requests made while disconnected wait for the next connection.
 */
export class Session {
  state: ClientState | 'connecting' = 'connecting';
  sessionId = 0n;
  /** What the server granted, 0 until the first connection. */
  negotiatedTimeoutMs = 0;
  /** The last connection failure, for the connect timeout's message. */
  lastError: string | undefined;
  readonly watches = new ClientWatches();
  readonly connected: Promise<void>;
  private markConnected!: () => void;
  private passwd: Buffer = Buffer.alloc(16);
  private lastZxid = 0;
  private xid = 0;
  private readonly hosts: HostList;
  /** The connection of the session, once its handshake succeeded. */
  private conn: Connection | undefined;
  /** A connection still in its handshake. */
  private attempt: Connection | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly queued: Packet[] = [];
  private readonly inFlight: Packet[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: SessionOptions) {
    this.hosts = new HostList(opts.servers);
    this.connected = new Promise((resolve) => (this.markConnected = resolve));
    this.connectNext(false);
  }

  get server(): string | undefined {
    return this.conn?.label;
  }

  get idHex(): string {
    return `0x${BigInt.asUintN(64, this.sessionId).toString(16)}`;
  }

  submit<T>(request: Request<T>): Promise<T> {
    if (this.state === 'expired' || this.state === 'closed' || this.closing) return Promise.reject(this.deadError(request.path));
    return new Promise<T>((resolve, reject) => {
      const packet: Packet = { xid: 0, request, resolve: resolve as (v: unknown) => void, reject };
      if (this.conn) this.send(this.conn, packet);
      else this.queued.push(packet);
    });
  }

  /** closeSession (the server drops the ephemerals at once), then the connection. Idempotent. */
  close(): Promise<void> {
    if (this.state === 'expired' || this.state === 'closed') return Promise.resolve();
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.attempt?.close();
    this.attempt = undefined;
    const conn = this.conn;
    if (conn) {
      const closeSession: Request<void> = { opcode: OpCode.closeSession, path: undefined, write: () => undefined, read: () => undefined };
      // Answered after every request sent before it; a lost connection ends the wait as well.
      await new Promise<void>((resolve) => this.send(conn, { xid: 0, request: closeSession, resolve, reject: () => resolve() }));
      conn.close();
      this.conn = undefined;
    }
    this.state = 'closed';
    this.failAll((p) => this.deadError(p.request.path));
    this.opts.log('info', `Session ${this.idHex} closed`);
    this.opts.onState('closed');
  }

  private deadError(path: string | undefined): KeeperError {
    return new KeeperError(Err.SESSIONEXPIRED, path, this.state === 'expired' ? undefined : 'the client is closed');
  }

  private connectNext(reconnecting: boolean): void {
    // A state listener may have closed the client already.
    if (this.closing || this.state === 'closed') return;
    const { server, delayMs } = this.hosts.next();
    const jitter = reconnecting ? Math.floor(Math.random() * RECONNECT_JITTER_MS) : 0;
    this.retryTimer = setTimeout(() => this.tryServer(server), delayMs + jitter);
  }

  private tryServer(server: ServerAddress): void {
    const conn = new Connection(server, {
      frame: (r) => this.onFrame(conn, r),
      lost: (reason) => this.onLost(conn, reason),
    });
    this.attempt = conn;
    // ClientCnxn gives each server an equal share of the session timeout to answer.
    const timeoutMs = Math.max(1, Math.floor((this.negotiatedTimeoutMs || this.opts.sessionTimeoutMs) / this.hosts.size));
    const request = {
      protocolVersion: 0,
      lastZxidSeen: this.lastZxid,
      timeOut: this.opts.sessionTimeoutMs,
      sessionId: this.sessionId,
      passwd: this.passwd,
      readOnly: false,
    };
    conn.open(request, timeoutMs).then(
      (response) => this.onHandshake(conn, response),
      (err: Error) => {
        if (this.attempt !== conn) return;
        this.attempt = undefined;
        this.lastError = err.message;
        this.opts.log('info', `Could not open a session on ${formatServer(server)}: ${err.message}`);
        this.connectNext(true);
      },
    );
  }

  private onHandshake(conn: Connection, response: { timeOut: number; sessionId: bigint; passwd: Buffer }): void {
    if (this.attempt !== conn) return conn.close();
    this.attempt = undefined;
    if (response.timeOut <= 0) {
      conn.close();
      return this.expire(`Unable to reconnect to ZooKeeper service, session ${this.idHex} has expired`);
    }
    this.sessionId = response.sessionId;
    this.passwd = response.passwd;
    this.negotiatedTimeoutMs = response.timeOut;
    this.hosts.connected();
    this.conn = conn;
    conn.keepAlive(response.timeOut);
    this.opts.log(
      'info',
      `Session establishment complete on server ${conn.label}, session id = ${this.idHex}, negotiated timeout = ${response.timeOut}`,
    );
    // Watches go first, then what waited for the connection; only then may listeners send more.
    this.resendWatches(conn);
    for (const packet of this.queued.splice(0)) this.send(conn, packet);
    this.state = 'connected';
    this.markConnected();
    this.opts.onState('connected');
  }

  private send(conn: Connection, packet: Packet): void {
    packet.xid = packet.request.opcode === OpCode.setWatches ? Xid.setWatches : (this.xid = this.xid >= MAX_XID ? 1 : this.xid + 1);
    const w = new JuteWriter(128);
    w.int32(packet.xid);
    w.int32(packet.request.opcode);
    packet.request.write(w);
    this.inFlight.push(packet);
    conn.write(w.frame());
  }

  /** SetWatches, in batches, with the last zxid seen: the server fires at once what changed since. */
  private resendWatches(conn: Connection): void {
    const lists = (['data', 'exist', 'child'] as const).map((kind) =>
      this.watches.paths(kind).map((p) => toServerPath(this.opts.chroot, p)),
    );
    let batch: [string[], string[], string[]] = [[], [], []];
    let length = 0;
    const flush = (): void => {
      const [data, exist, child] = batch;
      const relativeZxid = this.lastZxid;
      const request: Request<void> = {
        opcode: OpCode.setWatches,
        path: undefined,
        write: (w) => writeSetWatches(w, { relativeZxid, data, exist, child }),
        read: () => undefined,
      };
      this.send(conn, {
        xid: 0,
        request,
        resolve: () => undefined,
        reject: (err) => this.opts.log('warn', `SetWatches failed: ${err.message}`),
      });
      batch = [[], [], []];
      length = 0;
    };
    lists.forEach((paths, kind) => {
      for (const path of paths) {
        batch[kind]!.push(path);
        length += path.length;
        if (length >= SET_WATCHES_MAX_LENGTH) flush();
      }
    });
    if (length > 0) flush();
  }

  private onFrame(conn: Connection, r: JuteReader): void {
    if (conn !== this.conn) return;
    const xid = r.int32();
    const zxid = r.long();
    const err = r.int32();
    if (xid === Xid.ping) return;
    if (xid === Xid.notification) return this.notify(r);
    const packet = this.inFlight[0];
    if (packet?.xid !== xid) {
      throw new BadReplyError(`Xid out of order. Got Xid ${xid} with err ${err} expected Xid ${packet?.xid ?? 'none'}`);
    }
    this.inFlight.shift();
    if (zxid > 0) this.lastZxid = zxid;
    this.complete(packet, err, r);
  }

  private complete(packet: Packet, err: number, r: JuteReader): void {
    const { request } = packet;
    const kind = request.watch?.kind(err);
    if (kind) this.watches.add(kind, request.path!, request.watch!.watcher);
    if (err === Err.NONODE && 'noNode' in request) return packet.resolve(request.noNode);
    if (err !== Err.OK) return packet.reject(new KeeperError(err, request.path));
    let value: unknown;
    try {
      value = request.read(r);
    } catch (e) {
      if (e instanceof KeeperError) return packet.reject(e);
      // The reply does not decode as what was asked: this request fails, the connection is dropped.
      packet.reject(new KeeperError(Err.MARSHALLINGERROR, request.path, (e as Error).message));
      throw e;
    }
    packet.resolve(value);
  }

  private notify(r: JuteReader): void {
    const type = watchEventType(r.int32());
    r.int32(); // KeeperState: always SyncConnected for node events
    const path = toClientPath(this.opts.chroot, r.ustring());
    if (!type) return;
    const event: WatchEvent = { type, path };
    for (const watcher of this.watches.take(event)) {
      // After the replies already resolved, as Java's event thread orders them.
      queueMicrotask(() => {
        const failed = (e: unknown): void => this.opts.log('error', `A watcher of ${path} failed: ${(e as Error)?.message ?? e}`);
        try {
          Promise.resolve(watcher(event)).catch(failed);
        } catch (e) {
          failed(e);
        }
      });
    }
  }

  private onLost(conn: Connection, reason: string): void {
    if (conn !== this.conn) return;
    this.conn = undefined;
    this.lastError = `${conn.label}: ${reason}`;
    for (const packet of this.inFlight.splice(0)) packet.reject(new KeeperError(Err.CONNECTIONLOSS, packet.request.path));
    if (this.closing) return;
    this.opts.log('warn', `Session ${this.idHex} lost its connection to ${conn.label} (${reason}); reconnecting`);
    this.state = 'disconnected';
    this.opts.onState('disconnected');
    this.connectNext(true);
  }

  private expire(message: string): void {
    this.opts.log('warn', message);
    this.state = 'expired';
    this.failAll((p) => new KeeperError(Err.SESSIONEXPIRED, p.request.path));
    this.opts.onState('expired');
  }

  private failAll(error: (p: Packet) => Error): void {
    for (const packet of [...this.inFlight.splice(0), ...this.queued.splice(0)]) packet.reject(error(packet));
    this.watches.clear();
  }
}
