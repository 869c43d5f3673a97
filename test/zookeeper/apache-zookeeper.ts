import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
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

/** Debian's Apache ZooKeeper 3.8 in the foreground with its own temp config (never /etc/zookeeper). */
export async function startApacheZooKeeper(extra: Record<string, string> = {}): Promise<ApacheZooKeeper> {
  const dir = tempDir('apache');
  const port = await freePort();
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
    env: { ...process.env, ZOOCFGDIR: dir, ZOO_LOG_DIR: dir, JMXDISABLE: 'true' },
    stdio: 'ignore',
    detached: true,
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      await waitUntil(() => child.exitCode !== null || child.signalCode !== null, 'Apache ZooKeeper to exit', 15_000);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(() => ruok(port), 'Apache ZooKeeper to answer ruok', 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
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
