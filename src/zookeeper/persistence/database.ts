import { join } from 'node:path';
import { makeDirectory } from '../../util/make-directory.js';
import type { DataTree, TreeEvent } from '../tree/data-tree.js';
import type { Txn, TxnBody } from '../txn/txn.js';
import { VERSION_DIR } from './file-names.js';
import { loadNewestSnapshot, serializeSnapshot, writeSnapshot } from './snapshot.js';
import { readLogs, TxnLog } from './txn-log.js';

export interface DatabaseOptions {
  dataDir: string;
  dataLogDir: string;
  /** Txns between snapshots. */
  snapCount: number;
  forceSync: boolean;
  onFailure: (err: Error) => void;
}

/**
 * ZKDatabase: the data tree rebuilt from the newest snapshot plus the log, and the single path by
 * which it changes afterwards (`commit`: number, log, apply; snapshot every `snapCount` txns).
 */
export class Database {
  readonly snapDir: string;
  readonly logDir: string;
  private readonly log: TxnLog;
  private sinceSnapshot = 0;
  private snapshotting: Promise<void> | undefined;

  private constructor(
    readonly tree: DataTree,
    private readonly opts: DatabaseOptions,
  ) {
    this.snapDir = join(opts.dataDir, VERSION_DIR);
    this.logDir = join(opts.dataLogDir, VERSION_DIR);
    this.log = new TxnLog(this.logDir, opts.forceSync, opts.onFailure);
  }

  /** Loads the data directories, creating them when missing. Throws a one-line error when unusable. */
  static open(opts: DatabaseOptions): Database {
    const snapDir = join(opts.dataDir, VERSION_DIR);
    const logDir = join(opts.dataLogDir, VERSION_DIR);
    for (const dir of [snapDir, logDir]) makeDirectory(dir, 'data directory');
    const tree = loadNewestSnapshot(snapDir);
    for (const txn of readLogs(logDir, tree.lastZxid)) tree.apply(txn);
    return new Database(tree, opts);
  }

  get lastZxid(): number {
    return this.tree.lastZxid;
  }

  commit(body: TxnBody, visit?: (op: TxnBody) => void): { txn: Txn; events: TreeEvent[] } {
    const txn: Txn = { zxid: this.tree.lastZxid + 1, time: Date.now(), body };
    this.log.append(txn);
    const events = this.tree.apply(txn, visit);
    if (++this.sinceSnapshot >= this.opts.snapCount && !this.snapshotting) this.takeSnapshot();
    return { txn, events };
  }

  /** Runs `fn` once every txn committed so far is on disk. */
  whenDurable(fn: () => void): void {
    this.log.whenDurable(fn);
  }

  /**
   * Resolves once no snapshot is being written. A snapshot due while one is still being written is
   * skipped, as ZooKeeper's SyncRequestProcessor does ("Too busy to snap, skipping").
   */
  async snapshotWritten(): Promise<void> {
    await this.snapshotting;
  }

  async close(): Promise<void> {
    await this.snapshotWritten();
    await this.log.close();
  }

  private takeSnapshot(): void {
    this.sinceSnapshot = 0;
    this.log.rollOver();
    const zxid = this.tree.lastZxid;
    const image = serializeSnapshot(this.tree);
    this.snapshotting = writeSnapshot(this.snapDir, zxid, image)
      .catch((err: Error) => this.opts.onFailure(err))
      .finally(() => (this.snapshotting = undefined));
  }
}
