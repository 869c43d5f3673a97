import { closeSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, type PathLike } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { JuteReader } from '../jute/reader.js';
import { JuteWriter } from '../jute/writer.js';
import { readTxn, writeTxn } from '../txn/txn-codec.js';
import type { Txn } from '../txn/txn.js';
import { fileName, listFiles } from './file-names.js';
import { readRecords, recordHeader } from './record-file.js';

const LOG_MAGIC = Buffer.from('KTZKLOG1');

interface Waiter {
  seq: number;
  run: () => void;
}

/** Bytes to write, into a new file at `path` when set, else into the current file. */
interface Segment {
  path?: string;
  chunks: Buffer[];
}

/**
 * The append-only transaction log with group commit. `append` buffers a txn; one flush writes every
 * buffered txn and fdatasyncs once. `whenDurable` defers a callback until everything appended before
 * it is on disk: replies and notifications go through it, so no client ever sees a write that a
 * crash could lose.
 */
export class TxnLog {
  private file: FileHandle | undefined;
  private segments: Segment[] = [];
  private appended = 0;
  private durable = 0;
  private flushing: Promise<void> | undefined;
  private roll = true;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly dir: string,
    private readonly forceSync: boolean,
    private readonly onFailure: (err: Error) => void,
  ) {}

  append(txn: Txn): void {
    if (this.roll || this.segments.length === 0) {
      this.segments.push(this.roll ? { path: join(this.dir, fileName('log', txn.zxid)), chunks: [LOG_MAGIC] } : { chunks: [] });
      this.roll = false;
    }
    const w = new JuteWriter(128);
    writeTxn(w, txn);
    const payload = w.finish();
    this.segments[this.segments.length - 1]!.chunks.push(recordHeader(payload), ...payload);
    this.appended++;
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flushLoop());
  }

  whenDurable(run: () => void): void {
    if (this.durable === this.appended) run();
    else this.waiters.push({ seq: this.appended, run });
  }

  /** The next append starts a new file (after a snapshot, so purge can drop whole old files). */
  rollOver(): void {
    this.roll = true;
  }

  /** Waits for buffered txns to reach the disk, then closes the file. */
  async close(): Promise<void> {
    await this.flushing;
    await this.file?.close();
    this.file = undefined;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.segments.length > 0) {
        const seq = this.appended;
        const segments = this.segments;
        this.segments = [];
        for (const segment of segments) {
          if (segment.path !== undefined) {
            await this.file?.close();
            this.file = await open(segment.path, 'a');
          }
          await this.file!.writev(segment.chunks);
          // A file being left behind gets its fsync now; the last one after the loop.
          if (this.forceSync && segment !== segments[segments.length - 1]) await this.file!.datasync();
        }
        if (this.forceSync) await this.file!.datasync();
        this.durable = seq;
        this.release();
      }
    } catch (err) {
      this.onFailure(err as Error);
    } finally {
      this.flushing = undefined;
    }
  }

  private release(): void {
    let i = 0;
    while (i < this.waiters.length && this.waiters[i]!.seq <= this.durable) i++;
    for (const waiter of this.waiters.splice(0, i)) waiter.run();
  }
}

/**
 * Every intact txn of the logs in `dir` newer than `afterZxid`, in order. A torn or corrupt tail
 * (a crash mid-write) is cut off the newest file so the next append starts from clean bytes.
 */
export function readLogs(dir: string, afterZxid: number): Txn[] {
  const files = listFiles(dir, 'log');
  let first = 0;
  for (let i = 0; i < files.length; i++) if (files[i]!.zxid <= afterZxid + 1) first = i;
  const txns: Txn[] = [];
  for (let i = first; i < files.length; i++) {
    const path = files[i]!.path;
    const buf = readFileSync(path);
    if (buf.length < LOG_MAGIC.length || !buf.subarray(0, LOG_MAGIC.length).equals(LOG_MAGIC)) {
      if (buf.length >= LOG_MAGIC.length) throw new Error(`${path} is not a kts ZooKeeper transaction log`);
      truncate(path, 0);
      continue;
    }
    const { payloads, end } = readRecords(buf, LOG_MAGIC.length);
    for (const payload of payloads) {
      const txn = readTxn(new JuteReader(payload));
      if (txn.zxid > afterZxid) txns.push(txn);
    }
    if (end < buf.length) truncate(path, end);
  }
  return txns;
}

function truncate(path: PathLike, length: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, length);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
