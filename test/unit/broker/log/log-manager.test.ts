import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../../src/broker/log/log-config.js';
import { LogError } from '../../../../src/broker/log/log-error.js';
import { LogManager, type LogManagerOptions } from '../../../../src/broker/log/log-manager.js';
import { KtsError } from '../../../../src/util/errors.js';
import { decodeRecords, makeBatches, tempDir } from './batches.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const CONFIG: LogConfig = { ...DEFAULT_LOG_CONFIG, 'retention.ms': -1 };

function dirs(n: number): string[] {
  return Array.from({ length: n }, () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    return tmp.path;
  });
}

function openManager(options: Partial<LogManagerOptions> & { logDirs: string[] }): LogManager {
  const manager = LogManager.open({ brokerId: 1, configFor: () => CONFIG, ...options });
  cleanups.push(() => manager.close());
  return manager;
}

describe('LogManager', () => {
  it('spreads partitions over log dirs and loads them all again', async () => {
    const logDirs = dirs(3);
    const manager = openManager({ logDirs, clusterId: 'c1' });
    for (let p = 0; p < 6; p++) {
      const log = manager.getOrCreateLog({ topic: 'spread', partition: p }, CONFIG);
      for (const b of await makeBatches(p + 1, 2)) log.append(b, { leaderEpoch: 0 });
    }
    expect(logDirs.map((d) => readdirSync(d).filter((f) => f.startsWith('spread-')).length)).toEqual([2, 2, 2]);
    await manager.close();
    for (const dir of logDirs) {
      expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(true);
      expect(readFileSync(join(dir, 'meta.properties'), 'utf8')).toMatch(/^#\n#.*\ncluster\.id=c1\nversion=0\nbroker\.id=1\n$/);
    }
    const checkpoint = readFileSync(join(logDirs[0]!, 'recovery-point-offset-checkpoint'), 'utf8').split('\n');
    expect(checkpoint.slice(0, 2)).toEqual(['0', '2']);
    expect(checkpoint.slice(2, 4).sort()).toEqual(['spread 0 2', 'spread 3 8']);

    const again = openManager({ logDirs });
    expect(again.clusterId).toBe('c1');
    expect(logDirs.some((d) => existsSync(join(d, '.kafka_cleanshutdown')))).toBe(false);
    expect(again.logs.length).toBe(6);
    for (let p = 0; p < 6; p++) {
      const log = again.getLog({ topic: 'spread', partition: p })!;
      expect(log.logEndOffset).toBe(BigInt((p + 1) * 2));
      expect(log.recoveryPoint).toBe(log.logEndOffset);
    }
  });

  it('refuses a log dir that belongs to another broker or cluster', async () => {
    const logDirs = dirs(2);
    await openManager({ logDirs, brokerId: 1, clusterId: 'c1' }).close();
    expect(() => LogManager.open({ logDirs, brokerId: 2 })).toThrow(
      expect.objectContaining({
        code: 'INCONSISTENT_BROKER_ID',
        message: expect.stringMatching(/^Configured broker.id 2 doesn't match stored broker.id 1 in meta.properties/),
      }),
    );
    expect(() => LogManager.open({ logDirs, brokerId: 1, clusterId: 'c2' })).toThrow(
      expect.objectContaining({ code: 'INCONSISTENT_CLUSTER_ID' }),
    );
    writeFileSync(join(logDirs[1]!, 'meta.properties'), 'version=1\nnode.id=1\n');
    expect(() => LogManager.open({ logDirs, brokerId: 1 })).toThrow(LogError);
  });

  it('refuses a corrupt meta.properties with a storage error, not a usage error', () => {
    const [dir] = dirs(1);
    const path = join(dir!, 'meta.properties');
    writeFileSync(path, 'version=0\nbroker.id=1\ncluster.id=\\uZZZZ\n');
    let err: unknown;
    try {
      LogManager.open({ logDirs: [dir!], brokerId: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LogError);
    expect(err).not.toBeInstanceOf(KtsError);
    expect(err).toMatchObject({ code: 'KAFKA_STORAGE_ERROR', message: `${path} is corrupt: malformed \\uxxxx escape on line 3` });
    expect(readFileSync(path, 'utf8')).toBe('version=0\nbroker.id=1\ncluster.id=\\uZZZZ\n');
  });

  it('makes up a cluster id when none is given or stored', () => {
    const manager = openManager({ logDirs: dirs(1) });
    expect(manager.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('recovers after an unclean stop, and survives a corrupt checkpoint file', async () => {
    const logDirs = dirs(1);
    const manager = openManager({ logDirs });
    const log = manager.getOrCreateLog({ topic: 'u', partition: 0 }, CONFIG);
    for (const b of await makeBatches(5, 2)) log.append(b, { leaderEpoch: 0 });
    manager.checkpointRecoveryPoints();
    // no close(): no marker; then a broken checkpoint file
    writeFileSync(join(logDirs[0]!, 'recovery-point-offset-checkpoint'), '0\n7\nu 0 x\n');
    const errors: Error[] = [];
    const again = openManager({ logDirs, onError: (e) => errors.push(e) });
    expect(errors.map((e) => (e as LogError).code)).toEqual(['CORRUPT_CHECKPOINT']);
    expect(again.getLog({ topic: 'u', partition: 0 })!.logEndOffset).toBe(10n);
    log.close();
  });

  it('deletes a log while a reader is using it: the reader gets LOG_CLOSED, the dir goes away', async () => {
    const logDirs = dirs(1);
    const manager = openManager({ logDirs });
    const tp = { topic: 'gone', partition: 0 };
    const log = manager.getOrCreateLog(tp, CONFIG);
    for (const b of await makeBatches(50, 2)) log.append(b, { leaderEpoch: 0 });
    const outcomes = { read: 0, closed: 0 };
    const reader = (async () => {
      for (let i = 0; i < 200; i++) {
        try {
          const records = await decodeRecords(log.read(BigInt((i * 2) % 100), 300));
          expect(records.length).toBeGreaterThan(0);
          outcomes.read++;
        } catch (err) {
          if ((err as LogError).code !== 'LOG_CLOSED') throw err;
          outcomes.closed++;
        }
        await tick();
      }
    })();
    await tick();
    await tick();
    expect(manager.deleteLog(tp)).toBe(true);
    expect(manager.deleteLog(tp)).toBe(false);
    expect(manager.getLog(tp)).toBeUndefined();
    expect(readdirSync(logDirs[0]!).filter((d) => d.startsWith('gone-0'))).toEqual([
      expect.stringMatching(/^gone-0\.[0-9a-f]{32}-delete$/),
    ]);
    await reader;
    expect(outcomes.read).toBeGreaterThan(0);
    expect(outcomes.closed).toBeGreaterThan(0);
    // the topic can come back at once, empty
    expect(manager.getOrCreateLog(tp, CONFIG).logEndOffset).toBe(0n);
    await manager.close();
    expect(readdirSync(logDirs[0]!).filter((d) => d.endsWith('-delete'))).toEqual([]);
  });

  it('runs retention on its timer and applies config changes at runtime', async () => {
    const logDirs = dirs(1);
    const manager = openManager({ logDirs, retentionCheckIntervalMs: 20 });
    const small = { ...CONFIG, 'segment.bytes': 300 };
    const log = manager.getOrCreateLog({ topic: 'ret', partition: 0 }, small);
    for (const b of await makeBatches(20, 2)) log.append(b, { leaderEpoch: 0 });
    const segments = log.segmentBaseOffsets.length;
    expect(segments).toBeGreaterThan(2);
    manager.updateTopicConfig('ret', { ...small, 'retention.ms': 1000 }); // batch timestamps are years old
    for (let i = 0; i < 200 && log.logStartOffset < 40n; i++) await new Promise((r) => setTimeout(r, 10));
    expect([log.logStartOffset, log.logEndOffset, log.segmentBaseOffsets]).toEqual([40n, 40n, [40n]]);
    await manager.close();
    const starts = readFileSync(join(logDirs[0]!, 'log-start-offset-checkpoint'), 'utf8');
    expect(starts).toBe('0\n1\nret 0 40\n');
  });

  it('fsyncs logs whose flush.ms has passed, on the flush scheduler timer', async () => {
    const manager = openManager({ logDirs: dirs(1), flushCheckIntervalMs: 10 });
    const log = manager.getOrCreateLog({ topic: 'f', partition: 0 }, { ...CONFIG, 'flush.ms': 0 });
    for (const b of await makeBatches(3, 2)) log.append(b, { leaderEpoch: 0 });
    expect(log.recoveryPoint).toBe(0n);
    for (let i = 0; i < 200 && log.recoveryPoint < 6n; i++) await new Promise((r) => setTimeout(r, 10));
    expect(log.recoveryPoint).toBe(6n);
  });

  it('rejects names that cannot be a partition directory', () => {
    const manager = openManager({ logDirs: dirs(1) });
    for (const topic of ['', 'a/b', '..', 'x'.repeat(250)]) {
      expect(() => manager.getOrCreateLog({ topic, partition: 0 }, CONFIG), topic).toThrow(
        expect.objectContaining({ code: 'INVALID_TOPIC_EXCEPTION' }),
      );
    }
    expect(() => manager.getOrCreateLog({ topic: 'ok', partition: -1 }, CONFIG)).toThrow(LogError);
  });

  describe('future logs (a replica moving between log dirs)', () => {
    const tp = { topic: 'moving', partition: 0 };

    /** A log with 3 batches in the first dir and its future log in the second, holding the first 2. */
    async function halfMoved(manager: LogManager, logDirs: string[]) {
      const batches = await makeBatches(3, 2);
      const current = manager.getOrCreateLog(tp, CONFIG);
      for (const b of batches) current.append(b, { leaderEpoch: 0 });
      const future = manager.createFutureLog(tp, CONFIG, logDirs[1]!);
      future.append(current.read(0n, batches[0]!.length + batches[1]!.length, { minOneBatch: true }), { asFollower: true });
      return { current, future };
    }

    it('keeps a future log across a restart, in its own dir and checkpoints, and swaps it in with the old dir deleted', async () => {
      const logDirs = dirs(2);
      const manager = openManager({ logDirs });
      await halfMoved(manager, logDirs);
      expect(readdirSync(logDirs[1]!)).toEqual(expect.arrayContaining([expect.stringMatching(/^moving-0\.[0-9a-f]{32}-future$/)]));
      await manager.close();
      expect(readFileSync(join(logDirs[1]!, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n1\nmoving 0 4\n');

      const again = openManager({ logDirs });
      const current = again.getLog(tp)!;
      const future = again.getFutureLog(tp)!;
      expect([current.logEndOffset, future.logEndOffset, again.logDirOf(future)]).toEqual([6n, 4n, logDirs[1]]);
      future.append(current.read(4n, 1 << 20), { asFollower: true });
      const swapped = again.replaceCurrentWithFutureLog(tp);
      expect(again.getLog(tp)).toBe(swapped);
      expect(again.getFutureLog(tp)).toBeUndefined();
      expect(swapped.dir).toBe(join(logDirs[1]!, 'moving-0'));
      expect(current.closed).toBe(true);
      expect((await decodeRecords(swapped.read(0n, 1 << 20))).map((r) => r.value)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5']);
      await again.close();
      expect(readdirSync(logDirs[0]!).filter((d) => d.startsWith('moving'))).toEqual([]);
      expect(readdirSync(logDirs[1]!).filter((d) => d.startsWith('moving'))).toEqual(['moving-0']);
    });

    it('completes a swap a crash interrupted between its renames: the lone future log becomes the log', async () => {
      const logDirs = dirs(2);
      const warnings: string[] = [];
      const manager = openManager({ logDirs });
      const { current, future } = await halfMoved(manager, logDirs);
      future.append(current.read(4n, 1 << 20), { asFollower: true });
      await manager.close();
      // The crash: the old dir already renamed for deletion, the future dir not yet renamed.
      renameSync(join(logDirs[0]!, 'moving-0'), join(logDirs[0]!, 'moving-0.0123456789abcdef0123456789abcdef-delete'));

      const again = openManager({ logDirs, warn: (m) => warnings.push(m) });
      expect(warnings).toEqual([`Completing the move of moving-0 to ${logDirs[1]}: its old log was already renamed for deletion`]);
      expect(again.getFutureLog(tp)).toBeUndefined();
      expect(again.getLog(tp)!.dir).toBe(join(logDirs[1]!, 'moving-0'));
      expect(again.getLog(tp)!.logEndOffset).toBe(6n);
    });

    it('deletes the future log with the partition, and refuses a second future log', async () => {
      const logDirs = dirs(2);
      const manager = openManager({ logDirs });
      await halfMoved(manager, logDirs);
      expect(() => manager.createFutureLog(tp, CONFIG, logDirs[1]!)).toThrow(expect.objectContaining({ code: 'KAFKA_STORAGE_ERROR' }));
      expect(manager.deleteLog(tp)).toBe(true);
      expect(manager.getFutureLog(tp)).toBeUndefined();
      await manager.close();
      for (const dir of logDirs) expect(readdirSync(dir).filter((d) => d.startsWith('moving'))).toEqual([]);
    });
  });
});
