import { createServer } from 'node:net';
import { clusterRoles } from '../../tools/cluster/broker-roles.js';
import { KtsError, UsageError } from '../../util/errors.js';
import { startDaemon } from '../daemon/daemonize.js';
import type { ServerEntry } from '../daemon/server-registry.js';
import { type ClusterBroker, type ClusterLayout, generateLayout, layoutFromFiles, readLayout, writeLayout } from './cluster-layout.js';
import { nodeLog, runningBroker, runningBootstrap, runningZooKeeper, zookeeperConnect } from './cluster-nodes.js';

export interface StartOptions {
  readonly dir: string;
  /** Existing server.properties files: the cluster is theirs. */
  readonly files: readonly string[];
  readonly brokers?: number;
  readonly port?: number;
  /** `bundled` or `HOST:PORT[/chroot]`. */
  readonly zookeeper?: string;
}

const DEFAULT_BROKERS = 3;
const DEFAULT_BASE_PORT = 9092;
const ZOOKEEPER_PORT = 2181;
const REGISTRATION_TIMEOUT_MS = 60_000;
/** What the broker says when its id is still registered by an earlier session (Kafka's NodeExists on `/brokers/ids/<id>`). */
const STALE_REGISTRATION = /broker id \d+ is registered by another broker/;

/**
 * Starts what is not running yet: the bundled ZooKeeper, then every broker as a daemon (together),
 * and returns once each broker is registered and there is a controller. A directory that already
 * holds a cluster is started as it was (same files, same data).
 */
export async function startCluster(options: StartOptions, print: (line: string) => void): Promise<ClusterLayout> {
  const layout = await resolveLayout(options, print);
  const { zookeeper } = layout;
  if (zookeeper.bundled) {
    const running = runningZooKeeper(layout);
    if (running) print(`ZooKeeper is already running (pid ${running.pid}, port ${zookeeper.port})`);
    else {
      const { entry } = await startDaemon('zookeeper', ['zookeeper-start', zookeeper.config], nodeLog(options.dir, 'zookeeper'));
      print(`Started zookeeper (pid ${entry.pid}, port ${entry.ports[0]})`);
    }
  }
  const started = await Promise.allSettled(
    layout.brokers.map(async (broker) => {
      const running = runningBroker(broker);
      if (running) return `Broker ${broker.id} is already running (pid ${running.pid}, port ${broker.port})`;
      const entry = await startBroker(broker, nodeLog(options.dir, `broker-${broker.id}`), print);
      return `Started broker ${broker.id} (pid ${entry.pid}, port ${broker.port})`;
    }),
  );
  for (const result of started) if (result.status === 'fulfilled') print(result.value);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const controller = await waitForRegistration(layout);
  print(
    `Cluster ready: ${layout.brokers.length} brokers (${runningBootstrap(layout)}), ZooKeeper ${zookeeperConnect(layout)}, controller ${controller}`,
  );
  return layout;
}

/**
 * Starts one broker daemon. A broker killed without a controlled shutdown leaves its registration
 * until ZooKeeper expires its session (`zookeeper.session.timeout.ms`, also after a ZooKeeper
 * restart), and Kafka's broker refuses to start meanwhile: that refusal is waited out.
 */
async function startBroker(broker: ClusterBroker, log: string, print: (line: string) => void): Promise<ServerEntry> {
  const deadline = Date.now() + REGISTRATION_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return (await startDaemon('kafka', ['server-start', broker.config], log)).entry;
    } catch (err) {
      const message = (err as Error).message;
      if (!STALE_REGISTRATION.test(message) || Date.now() > deadline) {
        throw new KtsError(`Error: broker ${broker.id} did not start: ${message} (see ${log})`);
      }
      if (attempt === 0) print(`Broker ${broker.id}: waiting for ZooKeeper to expire the session of its previous, unclean, run`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function resolveLayout(options: StartOptions, print: (line: string) => void): Promise<ClusterLayout> {
  const { dir, files } = options;
  if (files.length > 0) {
    for (const [flag, value] of [
      ['--brokers', options.brokers],
      ['--port', options.port],
      ['--zookeeper', options.zookeeper],
    ] as const) {
      if (value !== undefined) throw new UsageError(`Error: ${flag} cannot be used with server.properties files (the files say it)`);
    }
    const layout = layoutFromFiles(files);
    writeLayout(dir, layout);
    return layout;
  }
  const existing = readLayout(dir);
  if (existing) {
    checkSameCluster(existing, options);
    print(`Using the cluster in ${dir}`);
    return existing;
  }
  const brokers = options.brokers ?? DEFAULT_BROKERS;
  const basePort = options.port ?? DEFAULT_BASE_PORT;
  if (basePort + brokers - 1 > 65_535) throw new UsageError(`Error: ports ${basePort}..${basePort + brokers - 1} go beyond 65535`);
  const zookeeper =
    options.zookeeper === undefined || options.zookeeper === 'bundled'
      ? { port: (await isFree(ZOOKEEPER_PORT)) ? ZOOKEEPER_PORT : await freePort() }
      : { connect: options.zookeeper };
  print(`Creating a cluster of ${brokers} broker${brokers === 1 ? '' : 's'} in ${dir}`);
  return generateLayout({ dir, brokers, basePort, zookeeper });
}

/** Options given again on a later start must say what the directory holds: the files would silently win otherwise. */
function checkSameCluster(layout: ClusterLayout, options: StartOptions): void {
  const first = layout.brokers[0];
  const differs =
    (options.brokers !== undefined && options.brokers !== layout.brokers.length) ||
    (options.port !== undefined && options.port !== first?.port) ||
    (options.zookeeper !== undefined && (options.zookeeper === 'bundled') !== layout.zookeeper.bundled) ||
    (options.zookeeper !== undefined && !layout.zookeeper.bundled && options.zookeeper !== layout.zookeeper.connect);
  if (differs) {
    throw new KtsError(
      `Error: ${options.dir} holds a cluster of ${layout.brokers.length} brokers from port ${first?.port} on ZooKeeper ${zookeeperConnect(layout)}; leave out --brokers/--port/--zookeeper to start it, or give another --dir`,
    );
  }
}

/** Polls Metadata until every broker of the layout is registered and a controller is elected; returns the controller's id. */
async function waitForRegistration(layout: ClusterLayout): Promise<number> {
  const deadline = Date.now() + REGISTRATION_TIMEOUT_MS;
  let missing = layout.brokers.map((b) => b.id);
  while (Date.now() < deadline) {
    const roles = await clusterRoles(runningBootstrap(layout)).catch(() => undefined);
    if (roles) {
      missing = layout.brokers.filter((b) => !roles.role(b.id).registered).map((b) => b.id);
      if (missing.length === 0 && roles.controllerId >= 0) return roles.controllerId;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new KtsError(
    `Error: broker${missing.length === 1 ? '' : 's'} ${missing.join(', ')} did not register within ${REGISTRATION_TIMEOUT_MS / 1000} s`,
  );
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
