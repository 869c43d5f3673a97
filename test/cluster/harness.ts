import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawKafkaConnection } from '../../src/client/raw-connection.js';
import { ApiKey } from '../../src/protocol/generated/api-info.js';
import {
  defaultMetadataRequest,
  type MetadataResponse,
  type MetadataResponsePartition,
} from '../../src/protocol/generated/apis/metadata.js';
import { ZERO_UUID } from '../../src/protocol/primitives/uuid.js';
import { freePort } from '../helpers/free-port.js';
import { KTS_BIN, runKts } from '../helpers/kts.js';
import { waitUntil } from '../helpers/wait.js';
import { startApacheZooKeeper } from '../zookeeper/apache-zookeeper.js';

/** A process kts started for a test: its output kept for failure messages. */
export class ServerProcess {
  #child: ChildProcess | undefined;
  #output = '';
  #paused = false;

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly ready: RegExp,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  get output(): string {
    return this.#output;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async start(timeoutMs = 20_000): Promise<void> {
    const child = spawn(KTS_BIN, this.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.env },
    });
    this.#child = child;
    const collect = (d: Buffer) => {
      this.#output += d.toString();
      if (this.#output.length > 200_000) this.#output = this.#output.slice(-100_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not start within ${timeoutMs} ms:\n${this.#output}`)), timeoutMs);
      const check = () => {
        if (this.ready.test(this.#output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}) while starting:\n${this.#output}`));
      });
    });
    child.removeAllListeners('exit');
  }

  /** SIGSTOP / SIGCONT: the process freezes (connections stay open, nothing is answered) and resumes. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
    this.#paused = true;
  }

  resume(): void {
    this.#child?.kill('SIGCONT');
    this.#paused = false;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** SIGKILL: no controlled shutdown, no flush, the ZooKeeper session left to expire. */
  async kill9(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  /** SIGTERM: a graceful (controlled) shutdown. */
  async stop(timeoutMs = 60_000): Promise<void> {
    await this.#signal('SIGTERM', timeoutMs);
  }

  async #signal(signal: NodeJS.Signals, timeoutMs = 10_000): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await Promise.race([
      exited,
      new Promise<void>((_, reject) =>
        setTimeout(() => reject(new Error(`${this.name} did not exit on ${signal}:\n${this.#output}`)), timeoutMs),
      ),
    ]);
  }
}

export interface ClusterOptions {
  brokers?: number;
  zookeeper?: 'bundled' | 'apache';
  /** server.properties for every broker, over the test defaults. */
  config?: Record<string, string>;
  /** More listeners after the PLAINTEXT one the harness talks to, e.g. `INTERNAL://127.0.0.1:0`. */
  extraListeners?: string;
  /** server.properties for one broker (by id), over `config`. */
  brokerConfig?: Record<number, Record<string, string>>;
}

export interface TestBroker {
  readonly id: number;
  readonly port: number;
  readonly logDir: string;
  readonly process: ServerProcess;
}

/**
 * A cluster for a test: ZooKeeper (kts's bundled one or Debian's Apache ZooKeeper) and N kts
 * brokers, each a separate `kts server-start` process on its own port and log dir, with short
 * timeouts so that failures are noticed in seconds.
 */
export class TestCluster {
  readonly brokers: TestBroker[] = [];
  #stopZooKeeper: () => Promise<void> = async () => {};
  connectString = '';

  private constructor(readonly dir: string) {}

  static async start(options: ClusterOptions = {}): Promise<TestCluster> {
    const cluster = new TestCluster(mkdtempSync(join(tmpdir(), 'kts-cluster-')));
    try {
      await cluster.#startZooKeeper(options.zookeeper ?? 'bundled');
      for (let id = 1; id <= (options.brokers ?? 3); id++)
        await cluster.#addBroker(id, { ...options.config, ...options.brokerConfig?.[id] }, options.extraListeners);
      await Promise.all(cluster.brokers.map((b) => b.process.start()));
      await cluster.waitForBrokers(cluster.brokers.length);
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  get bootstrapServers(): string {
    return this.brokers
      .filter((b) => b.process.running)
      .map((b) => `127.0.0.1:${b.port}`)
      .join(',');
  }

  broker(id: number): TestBroker {
    const broker = this.brokers.find((b) => b.id === id);
    if (!broker) throw new Error(`no broker ${id}`);
    return broker;
  }

  /** Metadata from the first running broker that answers. */
  async metadata(topics: string[] | null = null): Promise<MetadataResponse> {
    let failure: unknown;
    for (const b of this.brokers.filter((x) => x.process.running && !x.process.paused)) {
      try {
        const conn = await RawKafkaConnection.open('127.0.0.1', b.port, { timeoutMs: 5000 });
        const timer = setTimeout(() => conn.close(new Error(`broker ${b.id} did not answer Metadata within 5 s`)), 5000);
        try {
          return await conn.request(ApiKey.Metadata, 12, {
            ...defaultMetadataRequest(),
            topics: topics === null ? null : topics.map((name) => ({ name, topicId: ZERO_UUID })),
            allowAutoTopicCreation: false,
          });
        } finally {
          clearTimeout(timer);
          conn.close();
        }
      } catch (err) {
        failure = err;
      }
    }
    throw new Error(`no broker answered Metadata: ${(failure as Error)?.message}`);
  }

  /** A connection to one broker (closed by the caller). */
  connect(id: number): Promise<RawKafkaConnection> {
    return RawKafkaConnection.open('127.0.0.1', this.broker(id).port, { clientId: 'cluster-test', timeoutMs: 5000 });
  }

  /** The broker FindCoordinator names for a transactional id (key type 1) or a group (key type 0), asked of a running broker. */
  async coordinatorOf(key: string, keyType: 0 | 1): Promise<number> {
    const conn = await this.connect(this.brokers.find((b) => b.process.running && !b.process.paused)!.id);
    try {
      const r = await conn.request(ApiKey.FindCoordinator, 3, { key, keyType, coordinatorKeys: [] });
      if (r.errorCode !== 0) throw new Error(`FindCoordinator: error ${r.errorCode}`);
      return r.nodeId;
    } finally {
      conn.close();
    }
  }

  /** Creates a topic through `kts topics`, as a user would; fails the test with kts's output otherwise. */
  async createTopic(name: string, partitions: number, replicationFactor: number, configs: Record<string, string> = {}): Promise<void> {
    const args = ['topics', '--bootstrap-server', this.bootstrapServers, '--create', '--topic', name];
    args.push('--partitions', String(partitions), '--replication-factor', String(replicationFactor));
    for (const [k, v] of Object.entries(configs)) args.push('--config', `${k}=${v}`);
    const r = await runKts(args);
    if (r.code !== 0) throw new Error(`kts ${args.join(' ')} failed: ${r.stderr}\n${this.output}`);
    await this.waitForTopic(name, partitions);
  }

  /**
   * Waits until Metadata (from the broker `metadata` asks) lists `partitions` partitions of the
   * topic, each with a leader; returns that Metadata. A created topic reaches the brokers through
   * the controller's UpdateMetadata, so the broker asked may learn of it a moment after the one
   * that created it answered, as with Kafka.
   */
  async waitForTopic(topic: string, partitions: number, timeoutMs = 30_000): Promise<MetadataResponse> {
    return waitUntil(
      async () => {
        const m = await this.metadata([topic]).catch(() => undefined);
        const listed = m?.topics[0]?.partitions ?? [];
        return listed.length === partitions && listed.every((p) => p.leaderId >= 0) ? m : undefined;
      },
      `every partition of ${topic} with a leader in metadata`,
      timeoutMs,
    );
  }

  /** The partition as Metadata shows it (leader, replicas, ISR). */
  async partition(topic: string, index: number): Promise<MetadataResponsePartition> {
    const m = await this.metadata([topic]);
    const p = m.topics[0]?.partitions.find((x) => x.partitionIndex === index);
    if (!p) throw new Error(`no metadata for ${topic}-${index}`);
    return p;
  }

  /** Waits until `holds` is true of the partition's metadata; returns it. */
  async waitForPartition(
    topic: string,
    index: number,
    what: string,
    holds: (p: MetadataResponsePartition) => boolean,
    timeoutMs = 30_000,
  ): Promise<MetadataResponsePartition> {
    return waitUntil(
      async () => {
        const p = await this.partition(topic, index).catch(() => undefined);
        return p && holds(p) ? p : undefined;
      },
      `${topic}-${index}: ${what}`,
      timeoutMs,
    );
  }

  /** Waits until Metadata lists `count` live brokers and a controller. */
  async waitForBrokers(count: number, timeoutMs = 30_000): Promise<void> {
    await waitUntil(
      async () => {
        const m = await this.metadata().catch(() => undefined);
        return m !== undefined && m.brokers.length === count && m.controllerId >= 0;
      },
      `${count} live brokers and a controller`,
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.brokers.map((b) => b.process.kill9().catch(() => undefined)));
    await this.#stopZooKeeper().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Broker and ZooKeeper output, for a failing test's message. */
  get output(): string {
    return this.brokers.map((b) => `--- broker ${b.id}\n${b.process.output}`).join('\n');
  }

  async #startZooKeeper(kind: 'bundled' | 'apache'): Promise<void> {
    if (kind === 'apache') {
      const zk = await startApacheZooKeeper();
      this.connectString = zk.connectString;
      this.#stopZooKeeper = () => zk.stop();
      return;
    }
    const port = await freePort();
    const config = join(this.dir, 'zookeeper.properties');
    writeFileSync(config, `dataDir=${join(this.dir, 'zookeeper')}\nclientPort=${port}\nclientPortAddress=127.0.0.1\n`);
    const zk = new ServerProcess('zookeeper', ['zookeeper-start', config], /serving/, { KTS_RUN_DIR: join(this.dir, 'run') });
    await zk.start();
    this.connectString = `127.0.0.1:${port}`;
    this.#stopZooKeeper = () => zk.stop();
  }

  async #addBroker(id: number, extra: Record<string, string>, extraListeners?: string): Promise<void> {
    const port = await freePort();
    const logDir = join(this.dir, `broker-${id}`);
    const settings: Record<string, string> = {
      'broker.id': String(id),
      listeners: `PLAINTEXT://127.0.0.1:${port}${extraListeners ? `,${extraListeners}` : ''}`,
      'log.dirs': logDir,
      'zookeeper.connect': this.connectString,
      'zookeeper.session.timeout.ms': '6000',
      'replica.lag.time.max.ms': '3000',
      'replica.fetch.backoff.ms': '200',
      'replica.fetch.wait.max.ms': '200',
      'controlled.shutdown.retry.backoff.ms': '500',
      'offsets.topic.num.partitions': '3',
      'group.initial.rebalance.delay.ms': '0',
      ...extra,
    };
    const path = join(this.dir, `server-${id}.properties`);
    writeFileSync(
      path,
      Object.entries(settings)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    const process = new ServerProcess(`broker ${id}`, ['server-start', path], new RegExp(`\\[KafkaServer id=${id}\\] started`), {
      KTS_RUN_DIR: join(this.dir, 'run'),
    });
    this.brokers.push({ id, port, logDir, process });
  }
}
