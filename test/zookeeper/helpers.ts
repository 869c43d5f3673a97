import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startZooKeeper, type RunningZooKeeper, type StartOptions } from '../../src/zookeeper/server.js';

export interface TempServer extends RunningZooKeeper {
  dataDir: string;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kts-zk-${prefix}-`));
}

/** A server on 127.0.0.1, port 0, fresh temp dataDir. */
export async function tempServer(opts: Partial<StartOptions> = {}): Promise<TempServer> {
  const dataDir = opts.dataDir ?? tempDir('data');
  const zk = await startZooKeeper({ clientPortAddress: '127.0.0.1', ...opts, dataDir });
  return {
    ...zk,
    dataDir,
    dispose: async () => {
      await zk.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function clientScript(name: string): string {
  return new URL(`./clients/${name}`, import.meta.url).pathname;
}
