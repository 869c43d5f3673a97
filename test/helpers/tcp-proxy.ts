import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 for breaking connections on purpose: it can hold back what clients
 * send or what the server answers (`pause`), and cut every connection now or at the moment a given
 * number of bytes came back from the server (the data that crossed the limit is not delivered).
 */
export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections cut by `cutAfterServerBytes`. */
  readonly cuts: number;
  /** Where connections go; `from`: the local address the proxy connects from (e.g. 127.0.0.2, another client address on loopback). */
  forwardTo(host: string, port: number, from?: string): void;
  /** Holds back what clients send ('client', the default) or what the server sends back ('server'). */
  pause(side?: Side): void;
  resume(side?: Side): void;
  /** Once `bytes` more bytes came from the server, drops that data and closes every connection (once). */
  cutAfterServerBytes(bytes: number): void;
  /** Closes every open connection now; new ones are still accepted (and forwarded to the current target). */
  cut(): void;
  close(): Promise<void>;
}

type Side = 'client' | 'server';

export async function startTcpProxy(): Promise<TcpProxy> {
  let target: { host: string; port: number; localAddress?: string } | undefined;
  const pairs = new Set<[Socket, Socket]>();
  let connections = 0;
  let cuts = 0;
  const paused = { client: false, server: false };
  let cutBudget = Infinity;

  const dropAll = (): void => {
    for (const [client, server] of pairs) {
      client.destroy();
      server.destroy();
    }
    pairs.clear();
  };
  const cutAll = (): void => {
    cuts++;
    cutBudget = Infinity;
    dropAll();
  };

  const server = createServer((client) => {
    connections++;
    if (target === undefined) {
      client.destroy();
      return;
    }
    const upstream = connect(target);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    if (paused.client) client.pause();
    if (paused.server) upstream.pause();
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d: Buffer) => {
      cutBudget -= d.length;
      if (cutBudget < 0) cutAll();
      else client.write(d);
    });
    const close = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    get cuts() {
      return cuts;
    },
    forwardTo(host, port, from) {
      target = { host, port, ...(from !== undefined && { localAddress: from }) };
    },
    pause(side = 'client') {
      paused[side] = true;
      for (const [client, upstream] of pairs) (side === 'client' ? client : upstream).pause();
    },
    resume(side = 'client') {
      paused[side] = false;
      for (const [client, upstream] of pairs) (side === 'client' ? client : upstream).resume();
    },
    cutAfterServerBytes(bytes) {
      cutBudget = bytes;
    },
    cut: dropAll,
    close() {
      dropAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
