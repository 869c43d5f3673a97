import type { TestOptions } from 'vitest';
import { needs } from '../../helpers/requirements.js';
import { startApacheZooKeeper } from '../apache-zookeeper.js';
import { tempServer } from '../helpers.js';
import { waitUntil } from '../../helpers/wait.js';
import { KeeperError, ZooKeeperClient, type WatchEvent, type ZooKeeperClientOptions } from '../../../src/zookeeper/client/index.js';

export type ServerKind = 'kts' | 'apache';

export interface TestServer {
  kind: ServerKind;
  port: number;
  connectString: string;
  stop(): Promise<void>;
}

/** Short ticks so that short session timeouts (and so expiry) are allowed: 200 ms .. 10 s; containers reaped every 100 ms. */
const SESSION_LIMITS = { minSessionTimeout: 200, maxSessionTimeout: 10_000 };

/** Both servers each client behaviour is checked against; Apache's tests are skipped (with why) when it is absent. */
export const SERVERS: { kind: ServerKind; title: string; options: TestOptions }[] = [
  { kind: 'kts', title: 'the bundled ZooKeeper', options: {} },
  { kind: 'apache', title: 'Apache ZooKeeper 3.8', options: needs('apache-zookeeper') },
];

export async function startServer(kind: ServerKind): Promise<TestServer> {
  if (kind === 'kts') {
    const zk = await tempServer({ tickTime: 100, containerCheckIntervalMs: 100, ...SESSION_LIMITS });
    return { kind, port: zk.port, connectString: zk.connectString, stop: () => zk.dispose() };
  }
  const zk = await startApacheZooKeeper(
    {
      tickTime: '100',
      minSessionTimeout: String(SESSION_LIMITS.minSessionTimeout),
      maxSessionTimeout: String(SESSION_LIMITS.maxSessionTimeout),
    },
    ['-Dznode.container.checkIntervalMs=100'],
  );
  return { kind, port: zk.port, connectString: zk.connectString, stop: () => zk.stop() };
}

/** Clients opened by a test, closed after it whatever happened. */
export class Clients {
  private readonly open: ZooKeeperClient[] = [];

  async connect(connectString: string, options: Partial<ZooKeeperClientOptions> = {}): Promise<ZooKeeperClient> {
    // A bound, not a wait: a JVM server on a loaded 2-core machine took over 10 s to open a first session once.
    const zk = await ZooKeeperClient.connect({ connectString, sessionTimeoutMs: 10_000, connectionTimeoutMs: 30_000, ...options });
    this.open.push(zk);
    return zk;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((zk) => zk.close()));
  }
}

/** The KeeperError a promise rejects with. */
export async function keeperError(p: Promise<unknown>): Promise<KeeperError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof KeeperError)) throw new Error(`expected a KeeperError, got ${String(err)}`);
  return err;
}

/** Records what a watcher sees. */
export function recorder(): { events: WatchEvent[]; watcher: (e: WatchEvent) => void } {
  const events: WatchEvent[] = [];
  return { events, watcher: (e) => events.push(e) };
}

/**
 * Waits until every notification the server sent before now has been delivered: a watch on a fresh
 * node is triggered and awaited (one connection delivers notifications in order).
 */
export async function drainNotifications(zk: ZooKeeperClient, root: string): Promise<void> {
  const marker = `${root}-marker`;
  const seen = recorder();
  await zk.exists(marker, seen.watcher);
  await zk.create(marker, null);
  await waitUntil(() => seen.events.length === 1, 'the marker event', 5000);
  await zk.delete(marker);
}

export const buf = (s: string): Buffer => Buffer.from(s);
