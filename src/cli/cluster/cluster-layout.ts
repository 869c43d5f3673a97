import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { KtsError, oneLine } from '../../util/errors.js';
import { readPropertiesFile } from '../../util/properties.js';

/** The ZooKeeper a cluster uses: the bundled one kts starts (its properties file and port), or one given. */
export type ClusterZooKeeper =
  | { readonly bundled: true; readonly config: string; readonly port: number }
  | { readonly bundled: false; readonly connect: string };

/** One broker of the cluster: its id, its server.properties and the port of its first listener. */
export interface ClusterBroker {
  readonly id: number;
  readonly config: string;
  readonly host: string;
  readonly port: number;
}

/** What `kts cluster start` started, recorded in `<dir>/cluster.json` for the next start, stop and status. */
export interface ClusterLayout {
  readonly zookeeper: ClusterZooKeeper;
  readonly brokers: readonly ClusterBroker[];
}

const LAYOUT_FILE = 'cluster.json';

/** `$XDG_DATA_HOME/kts/cluster`, else `~/.local/share/kts/cluster`. */
export function defaultClusterDir(): string {
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'kts', 'cluster');
}

export function readLayout(dir: string): ClusterLayout | undefined {
  const path = join(dir, LAYOUT_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ClusterLayout;
  } catch (err) {
    throw new KtsError(`Error: cannot read ${path}: ${oneLine(err)}`);
  }
}

/** Written atomically: a reader never sees half a file. */
export function writeLayout(dir: string, layout: ClusterLayout): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LAYOUT_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(layout, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export interface GenerateOptions {
  readonly dir: string;
  readonly brokers: number;
  readonly basePort: number;
  /** The bundled ZooKeeper's port, or the connect string of the given one. */
  readonly zookeeper: { port: number } | { connect: string };
}

/**
 * A new cluster's files under `dir`: `zookeeper.properties` (bundled only) and, per broker i,
 * `server-i.properties` with `broker.id=i`, a listener on `basePort + i - 1` and its log dir
 * `broker-i/`. Internal topics are replicated to three brokers (fewer when there are fewer), as
 * a production cluster would be; everything else is Kafka's default.
 */
export function generateLayout(options: GenerateOptions): ClusterLayout {
  const { dir, brokers, basePort } = options;
  mkdirSync(dir, { recursive: true });
  let zookeeper: ClusterZooKeeper;
  let connect: string;
  if ('port' in options.zookeeper) {
    const config = join(dir, 'zookeeper.properties');
    const { port } = options.zookeeper;
    writeProperties(config, {
      dataDir: join(dir, 'zookeeper'),
      clientPort: String(port),
      maxClientCnxns: '0',
      'admin.enableServer': 'false',
    });
    zookeeper = { bundled: true, config, port };
    connect = `localhost:${port}`;
  } else {
    connect = options.zookeeper.connect;
    zookeeper = { bundled: false, connect };
  }
  const internalReplicas = String(Math.min(3, brokers));
  const layoutBrokers: ClusterBroker[] = [];
  for (let id = 1; id <= brokers; id++) {
    const port = basePort + id - 1;
    const config = join(dir, `server-${id}.properties`);
    writeProperties(config, {
      'broker.id': String(id),
      listeners: `PLAINTEXT://localhost:${port}`,
      'log.dirs': join(dir, `broker-${id}`),
      'zookeeper.connect': connect,
      'offsets.topic.replication.factor': internalReplicas,
      'transaction.state.log.replication.factor': internalReplicas,
      'transaction.state.log.min.isr': String(Math.min(2, brokers)),
      'group.initial.rebalance.delay.ms': '0',
    });
    layoutBrokers.push({ id, config, host: 'localhost', port });
  }
  const layout = { zookeeper, brokers: layoutBrokers };
  writeLayout(dir, layout);
  return layout;
}

/**
 * A cluster made of existing server.properties files (the notes' start script as one command):
 * each file's `broker.id` and first listener; their `zookeeper.connect`, which must be the same.
 */
export function layoutFromFiles(files: readonly string[]): ClusterLayout {
  const brokers: ClusterBroker[] = [];
  const connects = new Set<string>();
  for (const file of files) {
    const config = resolve(file);
    let properties: Map<string, string>;
    try {
      properties = readPropertiesFile(config);
    } catch (err) {
      throw new KtsError(err instanceof KtsError ? err.message : `Error: ${config}: ${oneLine(err)}`);
    }
    const id = Number(properties.get('broker.id') ?? '-1');
    if (!Number.isInteger(id) || id < 0) throw new KtsError(`Error: ${config}: broker.id must be set to a non-negative integer`);
    if (brokers.some((b) => b.id === id)) throw new KtsError(`Error: ${config}: broker.id ${id} is used by another of the files`);
    const connect = properties.get('zookeeper.connect');
    if (!connect) throw new KtsError(`Error: ${config}: zookeeper.connect is not set (kts cluster runs ZooKeeper-mode clusters)`);
    connects.add(connect);
    const listener = /^[A-Za-z0-9_]+:\/\/(\[[^\]]*\]|[^:]*):(\d+)$/.exec(
      (properties.get('listeners') ?? 'PLAINTEXT://:9092').split(',')[0]!.trim(),
    );
    if (!listener) throw new KtsError(`Error: ${config}: cannot read the first listener of '${properties.get('listeners')}'`);
    brokers.push({ id, config, host: listener[1] || 'localhost', port: Number(listener[2]) });
  }
  if (connects.size > 1)
    throw new KtsError(`Error: the files name different ZooKeepers (zookeeper.connect ${[...connects].join(' and ')})`);
  return { zookeeper: { bundled: false, connect: [...connects][0]! }, brokers: brokers.sort((a, b) => a.id - b.id) };
}

function writeProperties(path: string, settings: Record<string, string>): void {
  const lines = Object.entries(settings).map(([k, v]) => `${k}=${v}\n`);
  writeFileSync(path, `# Generated by kts cluster start; edit freely, it is reused on the next start.\n${lines.join('')}`);
}

/** `host:port` to connect to a listener (a wildcard host means this machine). */
export function brokerAddress(broker: ClusterBroker): string {
  const host = broker.host === '' || broker.host === '0.0.0.0' || broker.host === '[::]' ? 'localhost' : broker.host;
  return `${host}:${broker.port}`;
}
