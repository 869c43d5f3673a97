import { createServer, type Server, type Socket } from 'node:net';
import { parseConfig, type ZooKeeperConfig } from './config.js';
import { JuteWriter } from './jute/writer.js';
import type { ConnectRequest } from './jute/records.js';
import type { JuteReader } from './jute/reader.js';
import { Connection, type ConnectionHost } from './network/connection.js';
import { answer, type ServerReport } from './network/four-letter-words.js';
import { Database } from './persistence/database.js';
import { purge } from './persistence/purge.js';
import type { RequestContext } from './ops/op-request.js';
import { handleRequest } from './request-handler.js';
import { SessionTracker, type Session } from './session/session-tracker.js';
import { CONTAINER_OWNER, ttlOf } from './tree/znode.js';
import type { TxnBody } from './txn/txn.js';
import { WatchManager } from './watches/watch-manager.js';
import { Err } from './protocol/codes.js';

const SESSION_CHECK_MS = 100;

export const ZOOKEEPER_VERSION = '3.8.0-kts, built on 1970-01-01 00:00 UTC';

export interface StartOptions extends Partial<ZooKeeperConfig> {
  dataDir: string;
  /** Same as clientPort; 0 picks a free port. */
  port?: number;
  /** Called when the server must stop on its own (the disk failed). */
  onFatal?: (err: Error) => void;
}

export interface RunningZooKeeper {
  port: number;
  host: string;
  connectString: string;
  config: ZooKeeperConfig;
  stop(): Promise<void>;
}

/** Starts a standalone server: loads dataDir, listens, and resolves once it accepts connections. */
export async function startZooKeeper(opts: StartOptions): Promise<RunningZooKeeper> {
  const { config: defaults } = parseConfig(
    new Map([
      ['dataDir', opts.dataDir],
      ['clientPort', '0'],
    ]),
  );
  const config: ZooKeeperConfig = { ...defaults, ...stripUndefined(opts), clientPort: opts.port ?? opts.clientPort ?? 0 };
  const server = new ZooKeeperServer(config, opts.onFatal);
  await server.listen();
  return server.handle();
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** ZooKeeperServer: ties the database, sessions, watches and client connections together. */
export class ZooKeeperServer implements ConnectionHost, RequestContext {
  readonly db: Database;
  readonly watches = new WatchManager();
  private readonly sessions = new SessionTracker<Connection>();
  private readonly connections = new Set<Connection>();
  private readonly net: Server;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly latency = { min: 0, max: 0, total: 0, count: 0 };
  private stopping: Promise<void> | undefined;
  private received = 0;
  private sent = 0;

  constructor(
    readonly config: ZooKeeperConfig,
    private readonly onFatal: (err: Error) => void = () => void this.stop(),
  ) {
    this.db = Database.open({
      dataDir: config.dataDir,
      dataLogDir: config.dataLogDir,
      snapCount: config.snapCount,
      forceSync: config.forceSync,
      onFailure: (err) => this.onFatal(err),
    });
    for (const [id, s] of this.db.tree.sessions) this.sessions.add(id, s.timeout, s.passwd);
    this.net = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  get maxBuffer(): number {
    return this.config.maxBuffer;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.net.once('error', (err: NodeJS.ErrnoException) => {
        const where = `${this.config.clientPortAddress ?? '0.0.0.0'}:${this.config.clientPort}`;
        reject(new Error(err.code === 'EADDRINUSE' ? `port ${where} is already in use` : `cannot listen on ${where}: ${err.message}`));
      });
      this.net.listen({ port: this.config.clientPort, host: this.config.clientPortAddress }, () => {
        this.startTimers();
        resolve();
      });
    });
  }

  handle(): RunningZooKeeper {
    const address = this.net.address();
    const port = typeof address === 'object' && address ? address.port : this.config.clientPort;
    const host = this.config.clientPortAddress ?? '127.0.0.1';
    return { port, host, connectString: `${host}:${port}`, config: this.config, stop: () => this.stop() };
  }

  /** Graceful: stop accepting, flush the log, close sockets. Sessions persist (they expire later). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      const closed = new Promise<void>((resolve) => this.net.close(() => resolve()));
      await this.db.close();
      for (const conn of [...this.connections]) conn.close();
      await closed;
    })();
    return this.stopping;
  }

  whenDurable(fn: () => void): void {
    this.db.whenDurable(fn);
  }

  commit(body: TxnBody, visit?: (op: TxnBody) => void): void {
    const { events } = this.db.commit(body, visit);
    for (const event of events) this.watches.trigger(event);
  }

  closeSession(id: bigint): void {
    const session = this.sessions.remove(id);
    if (!session) return;
    this.commit({ type: 'closeSession', sessionId: id });
  }

  connect(conn: Connection, req: ConnectRequest): void {
    if (req.lastZxidSeen > this.db.lastZxid) {
      // The client has seen a newer state than ours (another server's): it must look elsewhere.
      return conn.close();
    }
    const timeout = Math.min(Math.max(req.timeOut, this.config.minSessionTimeout), this.config.maxSessionTimeout);
    let session: Session<Connection> | undefined;
    if (req.sessionId === 0n) {
      const { id, passwd } = this.sessions.newIdentity();
      this.commit({ type: 'createSession', sessionId: id, timeout, passwd });
      session = this.sessions.add(id, timeout, passwd, conn);
    } else {
      session = this.sessions.authenticate(req.sessionId, req.passwd);
      if (session) {
        const previous = session.connection;
        session.connection = conn;
        if (previous && previous !== conn) previous.close();
        session.timeout = timeout;
        this.sessions.touch(session);
      }
    }
    const w = new JuteWriter(48);
    w.int32(0);
    w.int32(session ? session.timeout : 0);
    w.long(session ? session.id : 0n);
    w.buffer(session ? session.passwd : Buffer.alloc(16));
    if (req.readOnly !== undefined) w.bool(false);
    conn.send(w.frame());
    if (!session) return conn.closeAfterOutput();
    conn.sessionId = session.id;
  }

  request(conn: Connection, xid: number, type: number, body: JuteReader): void {
    const session = this.sessions.get(conn.sessionId!);
    if (!session || session.connection !== conn) {
      conn.reply(xid, this.db.lastZxid, Err.SESSIONEXPIRED);
      return conn.closeAfterOutput();
    }
    this.sessions.touch(session);
    this.received++;
    const started = performance.now();
    handleRequest(this, conn, xid, type, body);
    this.whenDurable(() => this.recordLatency(performance.now() - started));
  }

  closed(conn: Connection): void {
    this.connections.delete(conn);
    this.watches.removeAll(conn);
    const session = conn.sessionId === undefined ? undefined : this.sessions.get(conn.sessionId);
    if (session?.connection === conn) session.connection = undefined;
  }

  fourLetterWord(word: string): string {
    return answer(word, this.config.fourLetterWords, () => this.report());
  }

  private accept(socket: Socket): void {
    const ip = socket.remoteAddress;
    if (this.stopping) return void socket.destroy();
    if (this.config.maxClientCnxns > 0) {
      let fromIp = 0;
      for (const c of this.connections) if (c.socket.remoteAddress === ip) fromIp++;
      if (fromIp >= this.config.maxClientCnxns) return void socket.destroy();
    }
    this.connections.add(new Connection(socket, this));
  }

  private startTimers(): void {
    const every = (ms: number, fn: () => void): void => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    // Apache ZooKeeper expires sessions in tickTime buckets (up to a tick late); checking often keeps a dead
    // broker's failover close to zookeeper.session.timeout.ms.
    every(Math.min(this.config.tickTime, SESSION_CHECK_MS), () => this.expireSessions());
    every(this.config.containerCheckIntervalMs, () => this.reap());
    if (this.config.purgeIntervalHours > 0) {
      every(this.config.purgeIntervalHours * 3_600_000, () => purge(this.db.snapDir, this.db.logDir, this.config.snapRetainCount));
    }
  }

  private expireSessions(): void {
    for (const session of this.sessions.expired()) {
      const conn = session.connection;
      this.closeSession(session.id);
      conn?.close();
    }
  }

  /** ContainerManager: empty containers that once had children, and TTL nodes idle past their TTL. */
  private reap(): void {
    const tree = this.db.tree;
    const now = Date.now();
    for (const path of [...tree.reapable]) {
      const node = tree.get(path);
      if (!node || node.children.size > 0) continue;
      const ttl = ttlOf(node.ephemeralOwner);
      const due = node.ephemeralOwner === CONTAINER_OWNER ? node.cversion > 0 : ttl !== undefined && now - node.mtime > ttl;
      if (due) this.commit({ type: 'delete', path });
    }
  }

  private recordLatency(ms: number): void {
    const l = this.latency;
    const v = Math.round(ms);
    l.min = l.count === 0 ? v : Math.min(l.min, v);
    l.max = Math.max(l.max, v);
    l.total += ms;
    l.count++;
    this.sent++;
  }

  private report(): ServerReport {
    const tree = this.db.tree;
    let dataSize = 0;
    for (const [path, node] of tree.nodes) dataSize += path.length + node.data.length;
    let ephemerals = 0;
    for (const set of tree.ephemerals.values()) ephemerals += set.size;
    const c = this.config;
    return {
      version: ZOOKEEPER_VERSION,
      clients: [...this.connections].map((x) => ({ address: x.address, received: x.received, sent: x.sent })),
      latency: { min: this.latency.min, max: this.latency.max, avg: this.latency.count ? this.latency.total / this.latency.count : 0 },
      received: this.received,
      sent: this.sent,
      outstanding: 0,
      zxid: this.db.lastZxid,
      nodeCount: tree.nodes.size,
      watchCount: this.watches.count,
      ephemeralsCount: ephemerals,
      sessions: this.sessions.size,
      approximateDataSize: dataSize,
      config: {
        clientPort: this.handle().port,
        secureClientPort: -1,
        dataDir: this.db.snapDir,
        dataLogDir: this.db.logDir,
        tickTime: c.tickTime,
        maxClientCnxns: c.maxClientCnxns,
        minSessionTimeout: c.minSessionTimeout,
        maxSessionTimeout: c.maxSessionTimeout,
        clientPortListenBacklog: -1,
        serverId: 0,
      },
    };
  }
}
