import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { ANONYMOUS, Session } from '../security/sasl-authenticator.js';
import { FramePool } from './frame-pool.js';
import { Connection, type ConnectionOptions } from './connection.js';

export interface ListenerSpec {
  name: string;
  host: string;
  port: number;
  /** SSL and SASL_SSL listeners: connections are TLS, handshake done before the first request. */
  tls?: TlsOptions;
}

export interface SocketServerOptions extends ConnectionOptions {
  /** The session of a new connection, or why it is refused (logged, then the socket is closed); default: ANONYMOUS. */
  sessionFor?(listenerName: string, socket: Socket): Session | string;
  /** A TLS handshake failed or a connection was refused (a client without a trusted certificate, plain bytes on a TLS port): routine, the client's doing. */
  onTlsError?(listenerName: string, reason: string): void;
}

export interface BoundListener extends ListenerSpec {
  /** The port actually bound (differs from `port` when that was 0). */
  boundPort: number;
}

/** The broker's TCP listeners and the connections they accepted. */
export interface SocketServerOptions extends ConnectionOptions {
  /** A connection could not be accepted; the listener goes on. Default: nothing said. */
  onAcceptError?(reason: string): void;
}

export class SocketServer {
  private readonly servers: Server[] = [];
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 0;

  /** Shared by this server's connections: Produce frames that span socket chunks. */
  private readonly framePool = new FramePool();

  constructor(private readonly options: SocketServerOptions) {}

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Binds every listener; rejects with a one-line reason (e.g. address in use) and binds none on failure. */
  async listen(listeners: ListenerSpec[]): Promise<BoundListener[]> {
    const bound: BoundListener[] = [];
    try {
      for (const spec of listeners) bound.push({ ...spec, boundPort: await this.bind(spec) });
    } catch (err) {
      await this.close();
      throw err;
    }
    return bound;
  }

  private bind(spec: ListenerSpec): Promise<number> {
    return new Promise((resolve, reject) => {
      const accept = (socket: Socket) => {
        const session = this.options.sessionFor?.(spec.name, socket) ?? new Session(ANONYMOUS, socket.remoteAddress ?? '');
        if (typeof session === 'string') {
          this.options.onTlsError?.(spec.name, session);
          socket.destroy();
          return;
        }
        const connection = new Connection(socket, this.nextConnectionId++, spec.name, session, this.options, this.framePool);
        this.connections.add(connection);
        socket.on('close', () => this.connections.delete(connection));
      };
      const server = spec.tls ? createTlsServer(spec.tls, accept) : createServer({ noDelay: true }, accept);
      server.on('tlsClientError', (err: Error) => this.options.onTlsError?.(spec.name, err.message));
      server.once('error', (err: NodeJS.ErrnoException) => {
        const where = `${spec.host || '0.0.0.0'}:${spec.port}`;
        const reason = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EACCES' ? 'permission denied' : err.message;
        reject(new Error(`cannot listen on ${where} (${spec.name}): ${reason}`));
      });
      server.listen({ host: bindHost(spec.host), port: spec.port }, () => {
        // From now on an error is a failed accept: say so and keep listening. (Out of descriptors,
        // libuv closes the waiting connections itself and Node reports nothing.)
        server.removeAllListeners('error');
        server.on('error', (err: Error) => this.options.onAcceptError?.(`Cannot accept a connection: ${err.message}`));
        this.servers.push(server);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : spec.port);
      });
    });
  }

  /** Stops accepting; open connections finish the requests already read, then close. */
  async close(): Promise<void> {
    const closing = this.servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    for (const c of this.connections) c.end();
    await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 5_000).unref())]);
    for (const c of this.connections) c.close();
  }
}

/**
 * `localhost` binds IPv4 loopback, as Kafka's JVM does: Node would take whichever address the
 * resolver lists first (often ::1), and clients given `127.0.0.1:9092` would be refused. Clients
 * given `localhost` still connect, trying both families. An empty host binds every interface.
 */
function bindHost(host: string): string | undefined {
  if (host === '') return undefined;
  return host === 'localhost' ? '127.0.0.1' : host;
}
