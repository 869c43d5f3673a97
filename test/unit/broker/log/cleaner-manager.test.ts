import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LogManager, type LogCleanerSettings } from '../../../../src/broker/log/log-manager.js';
import type { Log } from '../../../../src/broker/log/log.js';
import { waitUntil } from '../../../helpers/wait.js';
import { tempDir } from './batches.js';
import { COMPACTED, keyedBatch, storedRecords } from './cleaner-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function openManager(logDir: string, cleaner: LogCleanerSettings): LogManager {
  const manager = LogManager.open({ logDirs: [logDir], brokerId: 0, configFor: () => COMPACTED, cleaner });
  cleanups.push(() => manager.close());
  return manager;
}

function fill(log: Log): void {
  for (let i = 0; i < 100; i++) log.append(keyedBatch([[`k${i % 3}`, `v${i}`]]), { leaderEpoch: 0 });
  log.roll();
}

describe('LogManager and the log cleaner', () => {
  it('cleans compacted logs in the background and checkpoints where it stopped', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const settings = { enable: true, backoffMs: 10, dedupeBufferSize: 1 << 20 };
    const manager = openManager(dir.path, settings);
    const log = manager.getOrCreateLog({ topic: 't', partition: 0 }, COMPACTED);
    fill(log);
    const end = log.logEndOffset;

    await waitUntil(() => storedRecords(log).length === 3, 'the cleaner', 5000);
    expect(readFileSync(join(dir.path, 'cleaner-offset-checkpoint'), 'utf8')).toBe(`0\n1\nt 0 ${end}\n`);
    await manager.close();

    const again = openManager(dir.path, { ...settings, backoffMs: 60_000 });
    const reloaded = again.getLog({ topic: 't', partition: 0 })!;
    expect(again.cleaner!.logToClean(reloaded)).toMatchObject({ firstDirtyOffset: end, cleanableBytes: 0 });
    expect(storedRecords(reloaded).map((r) => r.value)).toEqual(['v97', 'v98', 'v99']);
  });

  it('runs no cleaner with log.cleaner.enable=false', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const manager = openManager(dir.path, { enable: false, backoffMs: 1, dedupeBufferSize: 1 << 20 });
    const log = manager.getOrCreateLog({ topic: 't', partition: 0 }, COMPACTED);
    fill(log);
    await sleep(50);
    expect(manager.cleaner).toBeUndefined();
    expect(storedRecords(log)).toHaveLength(100);
  });
});
