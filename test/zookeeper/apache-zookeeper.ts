import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../helpers/wait.js';
import { tempDir } from './helpers.js';
import { freePort } from '../helpers/free-port.js';
import { ZOOKEEPER_BIN } from '../helpers/requirements.js';

const ZK_SERVER = join(ZOOKEEPER_BIN, 'zkServer.sh');

export interface ApacheZooKeeper {
  port: number;
  connectString: string;
  stop(): Promise<void>;
}

/**
 * Debian's Apache ZooKeeper 3.8 in the foreground with its own temp config (never /etc/zookeeper);
 * `jvmFlags` are system properties (`-Dznode.container.checkIntervalMs=100`).
 */
export async function startApacheZooKeeper(extra: Record<string, string> = {}, jvmFlags: string[] = []): Promise<ApacheZooKeeper> {
  const port = await freePort();
  const server = spawnServer(tempDir('apache'), port, extra, jvmFlags);
  try {
    await waitUntil(() => ruok(port), 'Apache ZooKeeper to answer ruok', 30_000);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

export interface ApacheEnsemble {
  members: ApacheZooKeeper[];
  /** Every member's address, Kafka's zookeeper.connect style. */
  connectString: string;
  stop(): Promise<void>;
}

/** A replicated ensemble of `size` Apache ZooKeeper servers on 127.0.0.1; resolves once a quorum serves. */
export async function startApacheEnsemble(size: number, extra: Record<string, string> = {}): Promise<ApacheEnsemble> {
  const ports = await Promise.all(Array.from({ length: size * 3 }, () => freePort()));
  const servers = Object.fromEntries(
    Array.from({ length: size }, (_, i) => [`server.${i + 1}`, `127.0.0.1:${ports[size + 2 * i]}:${ports[size + 2 * i + 1]}`]),
  );
  const settings = { tickTime: '500', initLimit: '10', syncLimit: '5', ...servers, ...extra };
  const members = Array.from({ length: size }, (_, i) => {
    const dir = tempDir(`apache-${i + 1}`);
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'myid'), `${i + 1}\n`);
    return spawnServer(dir, ports[i]!, settings, []);
  });
  const stop = async (): Promise<void> => void (await Promise.all(members.map((m) => m.stop())));
  try {
    // Serving means a leader was elected and this member follows it (or leads).
    const serving = async (port: number): Promise<boolean> =>
      /Mode: (leader|follower)/.test(await fourLetterWord(port, 'srvr').catch(() => ''));
    await waitUntil(
      async () => (await Promise.all(ports.slice(0, size).map(serving))).every(Boolean),
      'the Apache ZooKeeper ensemble to elect a leader',
      60_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { members, connectString: members.map((m) => m.connectString).join(','), stop };
}

function spawnServer(dir: string, port: number, extra: Record<string, string>, jvmFlags: string[]): ApacheZooKeeper {
  const cfg = join(dir, 'zoo.cfg');
  const settings = {
    tickTime: '2000',
    dataDir: join(dir, 'data'),
    clientPort: String(port),
    clientPortAddress: '127.0.0.1',
    maxClientCnxns: '0',
    'admin.enableServer': 'false',
    '4lw.commands.whitelist': '*',
    ...extra,
  };
  writeFileSync(
    cfg,
    Object.entries(settings)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  writeFileSync(
    join(dir, 'log4j.properties'),
    'log4j.rootLogger=WARN, CONSOLE\nlog4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender\nlog4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout\n',
  );
  const child: ChildProcess = spawn(ZK_SERVER, ['start-foreground', cfg], {
    env: { ...process.env, ZOOCFGDIR: dir, ZOO_LOG_DIR: dir, JMXDISABLE: 'true', SERVER_JVMFLAGS: jvmFlags.join(' ') },
    stdio: 'ignore',
    detached: true,
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      await waitUntil(() => child.exitCode !== null || child.signalCode !== null, 'Apache ZooKeeper to exit', 15_000);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { port, connectString: `127.0.0.1:${port}`, stop };
}

/** Sends a four-letter word and returns the whole answer. */
export function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    import('node:net').then(({ connect }) => {
      const socket = connect({ host: '127.0.0.1', port }, () => socket.write(word));
      const chunks: Buffer[] = [];
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
      socket.on('error', reject);
      socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${word}`)));
    }, reject);
  });
}

async function ruok(port: number): Promise<boolean> {
  try {
    return (await fourLetterWord(port, 'ruok')) === 'imok';
  } catch {
    return false;
  }
}
