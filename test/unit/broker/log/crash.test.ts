import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG } from '../../../../src/broker/log/log-config.js';
import { Log } from '../../../../src/broker/log/log.js';
import { decodeRecords, makeBatch, tempDir } from './batches.js';

const DIST = fileURLToPath(new URL('../../../../dist', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/append-until-killed.mjs', import.meta.url));
const TEMPLATES = 16;
const PER_BATCH = 40;
const KILL_AFTER = 400;

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** Runs the child until it has reported `count` appends, then SIGKILLs it; returns every offset it reported. */
function appendThenKill(args: string[], count: number): Promise<bigint[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: bigint[] = [];
    let pending = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child reported ${reported.length} appends in 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      reported.push(...lines.map((l) => BigInt(l)));
      if (reported.length >= count) child.kill('SIGKILL');
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && reported.length >= count) resolve(reported);
      else reject(new Error(`child ended (code ${code}, signal ${signal}) after ${reported.length} appends: ${stderr}`));
    });
  });
}

describe('Log after kill -9', () => {
  it('keeps every batch the writer saw appended, contiguous and readable', async () => {
    if (!existsSync(join(DIST, 'broker/log/log.js'))) {
      throw new Error('dist/ is missing: build with `npx tsc -p .` first (npm test does)');
    }
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const templates = [];
    for (let t = 0; t < TEMPLATES; t++) {
      templates.push(await makeBatch({ values: Array.from({ length: PER_BATCH }, (_, i) => `t${t}-r${i}-${'x'.repeat(200)}`) }));
    }
    const templatesPath = join(tmp.path, 'templates.bin');
    writeFileSync(templatesPath, Buffer.concat(templates));
    const dir = join(tmp.path, 'crash-0');
    mkdirSync(dir);

    const reported = await appendThenKill([dir, templatesPath, DIST, '1000000'], KILL_AFTER);
    expect(reported.slice(0, 3)).toEqual([39n, 79n, 119n]);

    const log = Log.open({
      dir,
      topicPartition: { topic: 'crash', partition: 0 },
      config: { ...DEFAULT_LOG_CONFIG, 'segment.bytes': 256 * 1024, 'retention.ms': -1 },
      hadCleanShutdown: false,
    });
    cleanups.push(() => log.close());
    const lastReported = reported.at(-1)!;
    expect(log.logEndOffset).toBeGreaterThan(lastReported);
    expect(log.logEndOffset % BigInt(PER_BATCH)).toBe(0n);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(1);
    let next = 0n;
    while (next < log.logEndOffset) {
      for (const record of await decodeRecords(log.read(next, 1 << 20))) {
        expect(record.offset).toBe(next);
        const batch = Number(next / BigInt(PER_BATCH));
        const index = Number(next % BigInt(PER_BATCH));
        expect(record.value.startsWith(`t${batch % TEMPLATES}-r${index}-`)).toBe(true);
        next++;
      }
    }
    expect(log.append(templates[0]!, { leaderEpoch: 1 }).baseOffset).toBe(next);
  });
});
