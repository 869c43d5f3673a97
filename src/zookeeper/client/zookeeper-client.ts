import { EventEmitter } from 'node:events';
import type { Stat } from '../jute/records.js';
import type { Acl } from '../protocol/acl.js';
import { Err, KeeperError } from '../protocol/codes.js';
import { formatServer, parseConnectString } from './connect-string.js';
import {
  RequestBuilder,
  type ChildrenResult,
  type CreateOptions,
  type CreateResult,
  type DataResult,
  type MultiOp,
  type MultiResult,
  type Request,
} from './requests.js';
import { Session, type ClientLogger, type ClientState } from './session.js';
import type { Watcher } from './watches.js';

export interface ZooKeeperClientOptions {
  /** Kafka's `zookeeper.connect`: `host:port,host:port[/chroot]`. */
  connectString: string;
  /** Asked for; the server grants a value within its min/max (`sessionTimeoutMs`). Default 18000, Kafka's. */
  sessionTimeoutMs?: number;
  /** connect() gives up after this. Default: the session timeout, as Kafka's `zookeeper.connection.timeout.ms`. */
  connectionTimeoutMs?: number;
  log?: ClientLogger;
}

const DEFAULT_SESSION_TIMEOUT_MS = 18_000;

/**
 * A ZooKeeper client on kts's own jute layer: typed promises, one-shot watches, multi with typed
 * results, chroot, and a session that survives connection loss across the ensemble. A session that
 * expired stays expired ('expired' state, every call fails with SESSIONEXPIRED): build a new client.
 */
export class ZooKeeperClient extends EventEmitter<{ state: [ClientState] }> {
  private readonly session: Session;
  private readonly requests: RequestBuilder;

  private constructor(options: ZooKeeperClientOptions) {
    super();
    const { servers, chroot } = parseConnectString(options.connectString);
    this.requests = new RequestBuilder(chroot);
    this.session = new Session({
      servers,
      chroot,
      sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      log: options.log ?? (() => undefined),
      onState: (state) => this.emit('state', state),
    });
  }

  /**
   * Opens a session. Rejects with one line naming the servers when none gave a session within
   * `connectionTimeoutMs`, and on a malformed connect string.
   */
  static async connect(options: ZooKeeperClientOptions): Promise<ZooKeeperClient> {
    const client = new ZooKeeperClient(options);
    const timeoutMs = options.connectionTimeoutMs ?? options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const servers = parseConnectString(options.connectString).servers.map(formatServer).join(',');
        const last = client.session.lastError;
        void client.close();
        reject(new Error(`Timed out waiting for a connection to ZooKeeper at ${servers} after ${timeoutMs} ms${last ? ` (${last})` : ''}`));
      }, timeoutMs);
    });
    try {
      await Promise.race([client.session.connected, timedOut]);
    } finally {
      clearTimeout(timer);
    }
    return client;
  }

  get sessionId(): bigint {
    return this.session.sessionId;
  }

  /** The session timeout the server granted. */
  get sessionTimeoutMs(): number {
    return this.session.negotiatedTimeoutMs;
  }

  get state(): ClientState | 'connecting' {
    return this.session.state;
  }

  /** `host:port` of the server the session is connected to, undefined while disconnected. */
  get connectedServer(): string | undefined {
    return this.session.server;
  }

  /** The created path (with its sequence number for sequential modes), chroot removed. */
  create(path: string, data: Buffer | null, options: CreateOptions = {}): Promise<string> {
    return this.call(() => this.requests.create(path, data, options));
  }

  /** create2: the created path and the new node's Stat. */
  createWithStat(path: string, data: Buffer | null, options: CreateOptions = {}): Promise<CreateResult> {
    return this.call(() => this.requests.create(path, data, options, true));
  }

  delete(path: string, version = -1): Promise<void> {
    return this.call(() => this.requests.delete(path, version));
  }

  /** null when there is no such node; a watcher set on a missing node fires when it is created. */
  exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    return this.call(() => this.requests.exists(path, watcher));
  }

  getData(path: string, watcher?: Watcher): Promise<DataResult> {
    return this.call(() => this.requests.getData(path, watcher));
  }

  setData(path: string, data: Buffer, version = -1): Promise<Stat> {
    return this.call(() => this.requests.setData(path, data, version));
  }

  /** The children's names (not paths), in the server's order. */
  getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return this.call(() => this.requests.getChildren(path, watcher));
  }

  getChildrenWithStat(path: string, watcher?: Watcher): Promise<ChildrenResult> {
    return this.call(() => this.requests.getChildrenWithStat(path, watcher));
  }

  /** All ops or none: the results in op order, or a MultiError (a KeeperError) naming the op that failed. */
  multi(ops: readonly MultiOp[]): Promise<MultiResult[]> {
    return this.call(() => this.requests.multi(ops));
  }

  /** Creates `path` and any missing parent as persistent nodes with no data; existing ones are left alone. */
  async mkdirp(path: string, options: { acl?: readonly Acl[] } = {}): Promise<void> {
    const prefixes: string[] = [];
    for (let i = path.indexOf('/', 1); i !== -1; i = path.indexOf('/', i + 1)) prefixes.push(path.slice(0, i));
    if (path !== '/') prefixes.push(path);
    // Pipelined and answered in order, so each parent exists before its child is created.
    const created = prefixes.map((p) =>
      this.create(p, null, options).catch((err: unknown) => {
        if (!(err instanceof KeeperError && err.code === Err.NODEEXISTS)) throw err;
      }),
    );
    await Promise.all(created);
  }

  /** Waits until the server this session is connected to has caught up with the leader. */
  sync(path: string): Promise<void> {
    return this.call(() => this.requests.sync(path));
  }

  /** Closes the session: its ephemeral nodes go at once. Later calls fail with SESSIONEXPIRED. */
  close(): Promise<void> {
    return this.session.close();
  }

  /** Invalid arguments become a rejected promise like any other KeeperError. */
  private call<T>(build: () => Request<T>): Promise<T> {
    try {
      return this.session.submit(build());
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
