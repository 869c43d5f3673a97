import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerProcess, startBrokerProcess } from '../../helpers/broker-process.js';
import { runKts } from '../../helpers/kts.js';
import { runProcess } from '../../helpers/process.js';
import { needs } from '../../helpers/requirements.js';

const TOPIC = 'kept';
const RECORDS = 20_000;

function segmentFiles(partitionDir: string): string[] {
  return readdirSync(partitionDir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => join(partitionDir, f));
}

/** The topic's recovery point in the log dir's checkpoint, or -1 when it has none yet. */
function checkpointedRecoveryPoint(logDir: string): number {
  try {
    const line = readFileSync(join(logDir, 'recovery-point-offset-checkpoint'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${TOPIC} 0 `));
    return line ? Number(line.split(' ')[2]) : -1;
  } catch {
    return -1;
  }
}

function overwrite(path: string, position: number, bytes: number): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(bytes, 0x5a), 0, bytes, position);
  } finally {
    closeSync(fd);
  }
}

async function endOffset(port: number): Promise<string> {
  const r = await runKts(['get-offsets', '--bootstrap-server', `127.0.0.1:${port}`, '--topic', TOPIC]);
  expect(r.stderr).toBe('');
  return r.stdout.trim();
}

async function countFrom(port: number, offset: number): Promise<number> {
  const r = await runProcess('kcat', ['-b', `127.0.0.1:${port}`, '-C', '-t', TOPIC, '-p', '0', '-o', String(offset), '-e', '-q'], {
    timeoutMs: 30_000,
  });
  return r.stdout.toString().split('\n').filter(Boolean).length;
}

/** The case: kill -9 after a few dozen segments were written, then bytes overwritten in the first one. */
describe('crash recovery of a broker process', needs('kcat'), () => {
  let root: string;
  let logDir: string;
  let partitionDir: string;
  let broker: BrokerProcess | undefined;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kts-recovery-'));
    logDir = join(root, 'data');
    partitionDir = join(logDir, `${TOPIC}-0`);
    broker = await startBrokerProcess(logDir);
    const created = await runKts([
      'topics',
      '--bootstrap-server',
      `127.0.0.1:${broker.port}`,
      '--create',
      '--topic',
      TOPIC,
      '--config',
      'segment.bytes=1048576',
    ]);
    expect(created.stderr).toBe('');
    const lines = Array.from({ length: RECORDS }, (_, i) => `${String(i).padStart(8, '0')} ${'x'.repeat(990)}\n`).join('');
    const produced = await runProcess('kcat', ['-b', `127.0.0.1:${broker.port}`, '-P', '-t', TOPIC, '-p', '0'], {
      input: lines,
      timeoutMs: 60_000,
    });
    expect(produced.code).toBe(0);
  }, 90_000);

  afterAll(async () => {
    await broker?.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps every segment below the checkpointed recovery point when an earlier one is corrupt, and says what it cut', async () => {
    const segments = segmentFiles(partitionDir);
    expect(segments.length).toBeGreaterThan(15);
    const lastBase = Number(segments.at(-1)!.slice(-24, -4));
    // Rolled segments are fsynced in the background; their recovery point reaches the checkpoint within a second.
    await expect.poll(() => checkpointedRecoveryPoint(logDir), { timeout: 10_000, interval: 100 }).toBe(lastBase);
    await broker!.kill('SIGKILL');

    overwrite(segments[0]!, 1000, 100);
    broker = await startBrokerProcess(logDir);
    expect(await endOffset(broker.port)).toBe(`${TOPIC}:0:${RECORDS}`);
    expect(segmentFiles(partitionDir)).toEqual(segments);
    const secondBase = Number(segments[1]!.slice(-24, -4));
    expect(await countFrom(broker.port, secondBase)).toBe(RECORDS - secondBase);
    expect(broker.output().stderr).not.toContain('WARN');

    // Corruption above the recovery point is cut, with the partition, file, offsets and bytes named.
    await broker.kill('SIGKILL');
    const active = segments.at(-1)!;
    const size = statSync(active).size;
    overwrite(active, size - 2000, 100);
    broker = await startBrokerProcess(logDir);
    const warnings = broker
      .output()
      .stderr.split('\n')
      .filter((l) => l.includes(' WARN '));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      new RegExp(
        `WARN \\[LogLoader partition=${TOPIC}-0, dir=${logDir}\\] Found invalid messages in log segment ${active} at byte offset (\\d+) \\(a CRC mismatch\\): truncated (\\d+) bytes, the log of this segment now ends at offset (\\d+)\\.$`,
      ),
    );
    const [, at, cut, end] = /byte offset (\d+) .*truncated (\d+) bytes.*offset (\d+)\.$/.exec(warnings[0]!)!;
    expect(Number(at) + Number(cut)).toBe(size);
    expect(warnings[1]).toContain(`Corruption found in segment ${lastBase}, truncating to offset ${end}`);
    expect(await endOffset(broker.port)).toBe(`${TOPIC}:0:${end}`);
    expect(Number(end)).toBeLessThan(RECORDS);
    expect(Number(end)).toBeGreaterThanOrEqual(lastBase);
  }, 90_000);
});
