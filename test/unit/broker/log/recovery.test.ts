import { appendFileSync, readFileSync, readdirSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../../src/broker/log/log-config.js';
import { Log } from '../../../../src/broker/log/log.js';
import { decodeRecords, makeBatches, tempDir } from './batches.js';

const cleanups: (() => void)[] = [];
/** What recovery reported while opening logs, this test. */
let warnings: string[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
  warnings = [];
});

const CONFIG: LogConfig = { ...DEFAULT_LOG_CONFIG, 'index.interval.bytes': 200, 'retention.ms': -1 };

function open(dir: string, overrides: Partial<LogConfig> = {}, hadCleanShutdown = false): Log {
  const log = Log.open({
    dir,
    topicPartition: { topic: 'r', partition: 3 },
    config: { ...CONFIG, ...overrides },
    hadCleanShutdown,
    warn: (message) => warnings.push(message),
  });
  cleanups.push(() => log.close());
  return log;
}

/** A log of `n` batches of 3 records, closed; returns its dir and each batch's end position in the active segment. */
async function writtenLog(n: number, overrides: Partial<LogConfig> = {}): Promise<{ dir: string; log: Log }> {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const log = open(tmp.path, overrides, true);
  for (const b of await makeBatches(n, 3)) log.append(b, { leaderEpoch: 0 });
  log.close();
  return { dir: tmp.path, log };
}

const lastSegment = (dir: string) =>
  join(
    dir,
    readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .sort()
      .at(-1)!,
  );

/** Where each batch of a segment file starts. */
function batchStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readInt32BE(at + 8) + 12) starts.push(at);
  return starts;
}

/** Every offset below the log end readable through the index, values in order, nothing missing. */
async function expectIntact(log: Log, count: number): Promise<void> {
  expect(log.logEndOffset).toBe(BigInt(count));
  const values: string[] = [];
  while (BigInt(values.length) < log.logEndOffset) {
    const records = await decodeRecords(log.read(BigInt(values.length), 1 << 20)); // one segment per read
    values.push(...records.map((r) => r.value));
  }
  expect(values).toEqual(Array.from({ length: count }, (_, i) => `v${i}`));
  for (let o = 0n; o < log.logEndOffset; o++) {
    const [first] = await decodeRecords(log.read(o, 1));
    expect(first!.offset <= o && o < first!.offset + 3n).toBe(true);
  }
}

describe('Log crash recovery', () => {
  it('cuts a torn tail (a batch cut mid-way)', async () => {
    const { dir } = await writtenLog(20);
    const path = lastSegment(dir);
    const size = statSync(path).size;
    const last = batchStarts(readFileSync(path)).at(-1)!;
    truncateSync(path, size - 10);
    const log = open(dir);
    await expectIntact(log, 57);
    const prefix = `[LogLoader partition=${basename(dir)}, dir=${dirname(dir)}] `;
    expect(warnings).toEqual([
      `${prefix}Found invalid messages in log segment ${path} at byte offset ${last} (a batch that runs past the end of the file (a torn write)): truncated ${size - 10 - last} bytes, the log of this segment now ends at offset 57.`,
      `${prefix}Corruption found in segment 0, truncating to offset 57`,
    ]);
    expect(log.append((await makeBatches(1, 3, 57))[0]!, { leaderEpoch: 0 }).baseOffset).toBe(57n);
    await expectIntact(log, 60);
  });

  it('cuts at a batch whose CRC does not match', async () => {
    const { dir } = await writtenLog(20);
    const path = lastSegment(dir);
    const bytes = readFileSync(path);
    bytes[bytes.length - 3]! ^= 0xff; // inside the last record's value
    writeFileSync(path, bytes);
    await expectIntact(open(dir), 57);
    const last = batchStarts(bytes).at(-1)!;
    expect(warnings[0]).toContain(
      `Found invalid messages in log segment ${path} at byte offset ${last} (a CRC mismatch): truncated ${bytes.length - last} bytes`,
    );
  });

  it('cuts garbage appended after the last batch', async () => {
    const { dir } = await writtenLog(20);
    const path = lastSegment(dir);
    const size = statSync(path).size;
    appendFileSync(path, Buffer.from('this is not a record batch at all, just noise'.repeat(3)));
    const log = open(dir);
    await expectIntact(log, 60);
    log.close();
    expect(statSync(path).size).toBe(size);
  });

  it('cuts at an impossible header (bad magic, offsets going back) and drops later segments', async () => {
    const { dir } = await writtenLog(30, { 'segment.bytes': 700 });
    const segments = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .sort();
    expect(segments.length).toBeGreaterThan(3);
    // second segment: its third batch gets magic 1
    const path = join(dir, segments[1]!);
    const bytes = readFileSync(path);
    let at = 0;
    for (let i = 0; i < 2; i++) at += bytes.readInt32BE(at + 8) + 12;
    bytes[at + 16] = 1;
    writeFileSync(path, bytes);
    const base = Number(segments[1]!.slice(0, 20));
    const later = segments.slice(2);
    const laterBytes = later.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    const log = open(dir);
    expect(log.segmentBaseOffsets).toEqual([0n, BigInt(base)]);
    await expectIntact(log, base + 6);
    expect(readdirSync(dir).filter((f) => f.endsWith('.log')).length).toBe(2);
    expect(warnings.map((w) => w.slice(w.indexOf('] ') + 2))).toEqual([
      `Found invalid messages in log segment ${path} at byte offset ${at} (magic 1): truncated ${bytes.length - at} bytes, the log of this segment now ends at offset ${base + 6}.`,
      `Corruption found in segment ${base}, truncating to offset ${base + 6}`,
      `Deleting segments as part of log recovery: ${later.length} segments (${join(dir, later[0]!)} to ${join(dir, later.at(-1)!)}), offsets ${Number(later[0]!.slice(0, 20))} to 89, ${laterBytes} bytes`,
    ]);
  });

  it('starts recovery at the recovery point, trusting the segments below it', async () => {
    const { dir } = await writtenLog(30, { 'segment.bytes': 700 });
    const segments = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .sort();
    const first = join(dir, segments[0]!);
    const bytes = readFileSync(first);
    bytes[bytes.length - 3]! ^= 0xff; // below the recovery point: not scanned
    writeFileSync(first, bytes);
    const log = Log.open({
      dir,
      topicPartition: { topic: 'r', partition: 3 },
      config: CONFIG,
      recoveryPoint: BigInt(segments[1]!.slice(0, 20)),
      warn: (message) => warnings.push(message),
    });
    cleanups.push(() => log.close());
    expect(log.logEndOffset).toBe(90n);
    expect(warnings).toEqual([]);
  });

  it('rebuilds a missing or corrupt index even after a clean shutdown', async () => {
    const { dir } = await writtenLog(40, { 'segment.bytes': 1000 });
    const indexes = readdirSync(dir)
      .filter((f) => f.endsWith('.index'))
      .sort();
    const original = readFileSync(join(dir, indexes[0]!));
    expect(original.length).toBeGreaterThan(8);
    unlinkSync(join(dir, indexes[0]!));
    writeFileSync(join(dir, indexes[1]!), Buffer.from([1, 2, 3])); // not whole entries
    const log = open(dir, {}, true);
    await expectIntact(log, 120);
    log.close();
    expect(readFileSync(join(dir, indexes[0]!))).toEqual(original);
    expect(statSync(join(dir, indexes[1]!)).size % 8).toBe(0);
    const logFile = (index: string) => join(dir, index.replace('.index', '.log'));
    expect(warnings.map((w) => w.slice(w.indexOf('] ') + 2))).toEqual([
      `Could not find offset index file corresponding to log file ${logFile(indexes[0]!)}, recovering segment and rebuilding index files...`,
      `Found a corrupted index file corresponding to log file ${logFile(indexes[1]!)} due to its offset index: its size 3 is not a multiple of the entry size 8, recovering segment and rebuilding index files...`,
    ]);
  });

  it('removes leftovers: .deleted files and indexes without a log', async () => {
    const { dir } = await writtenLog(3);
    writeFileSync(join(dir, '00000000000000000099.index'), Buffer.alloc(8));
    writeFileSync(join(dir, '00000000000000000000.log.deleted'), 'x');
    open(dir, {}, true).close();
    expect(readdirSync(dir).sort()).toEqual(['00000000000000000000.index', '00000000000000000000.log', '00000000000000000000.timeindex']);
    expect(warnings.map((w) => w.slice(w.indexOf('] ') + 2))).toEqual([
      `Found an orphaned index file ${join(dir, '00000000000000000099.index')}, with no corresponding log file.`,
    ]);
  });

  it('says so when every segment goes because the log ends below its start offset', async () => {
    const { dir } = await writtenLog(3);
    const log = Log.open({
      dir,
      topicPartition: { topic: 'r', partition: 3 },
      config: CONFIG,
      logStartOffset: 100n,
      hadCleanShutdown: true,
      warn: (message) => warnings.push(message),
    });
    cleanups.push(() => log.close());
    expect([log.logStartOffset, log.logEndOffset]).toEqual([100n, 100n]);
    expect(warnings.map((w) => w.slice(w.indexOf('] ') + 2))).toEqual([
      'Deleting all segments because logEndOffset (9) is smaller than logStartOffset 100. This could happen if segment files were deleted from the file system.',
    ]);
  });

  it('reports nothing when it changed nothing', async () => {
    const { dir } = await writtenLog(30, { 'segment.bytes': 700 });
    open(dir).close();
    open(dir, {}, true).close();
    expect(warnings).toEqual([]);
  });
});
