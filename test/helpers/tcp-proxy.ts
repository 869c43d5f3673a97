import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 for breaking connections on purpose: it can hold back what clients
 * send (`pause`), and cut every connection at the moment a given number of bytes came back
 * from the server (the data that crossed the limit is not delivered).
 */
export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections cut by `cutAfterServerBytes`. */
  readonly cuts: number;
  forwardTo(host: string, port: number): void;
  pause(): void;
  resume(): void;
  /** Once `bytes` more bytes came from the server, drops that data and closes every connection (once). */
  cutAfterServerBytes(bytes: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(): Promise<TcpProxy> {
  let target: { host: string; port: number } | undefined;
  const pairs = new Set<[Socket, Socket]>();
  let connections = 0;
  let cuts = 0;
  let paused = false;
  let cutBudget = Infinity;

  const cutAll = (): void => {
    cuts++;
    cutBudget = Infinity;
    for (const [client, server] of pairs) {
      client.destroy();
      server.destroy();
    }
    pairs.clear();
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
    if (paused) client.pause();
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
    forwardTo(host, port) {
      target = { host, port };
    },
    pause() {
      paused = true;
      for (const [client] of pairs) client.pause();
    },
    resume() {
      paused = false;
      for (const [client] of pairs) client.resume();
    },
    cutAfterServerBytes(bytes) {
      cutBudget = bytes;
    },
    close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
