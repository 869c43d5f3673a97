import { basename, dirname, join } from 'node:path';
import { KtsError, oneLine } from '../../util/errors.js';
import { DumpProblems } from './dump-problems.js';
import { dumpOffsetIndex, dumpTimeIndex, type IndexDumpOptions } from './dump-indexes.js';
import { dumpSegment, type SegmentDumpOptions } from './dump-segment.js';
import { OffsetIndexFile, TimeIndexFile } from './index-files.js';
import { SegmentFile } from './segment-file.js';
import { dumpProducerSnapshot, dumpTxnIndex } from './state-files.js';

export interface DumpLogJob extends SegmentDumpOptions, IndexDumpOptions {
  files: readonly string[];
  print: (line: string) => void;
  printError: (line: string) => void;
}

const SNAPSHOT_NAME = /^(\d{20})-(\d{10})\.checkpoint$/;

/**
 * DumpLogSegments: each file by its suffix — `.log` (and KRaft `.checkpoint` snapshots) batch by
 * batch, `.index`/`.timeindex` checked against their segment, `.txnindex` and producer
 * `.snapshot` entry by entry — then, on stderr, what did not match. A file that cannot be read
 * ends the run with one line.
 */
export function dumpLog(job: DumpLogJob): void {
  const problems = new DumpProblems();
  for (const arg of job.files) {
    const path = javaFilePath(arg);
    job.print(`Dumping ${path}`);
    const name = basename(path);
    const dot = name.lastIndexOf('.');
    const suffix = dot < 0 ? '' : name.slice(dot);
    try {
      switch (suffix) {
        case '.log':
          job.print(`Log starting offset: ${startOffsetOf(name)}`);
          withSegment(path, (log) => dumpSegment(log, absolute(path), job, problems, job.print));
          break;
        case '.checkpoint':
          job.print(snapshotLine(name));
          withSegment(path, (log) => dumpSegment(log, absolute(path), job, problems, job.print));
          break;
        case '.index': {
          const base = startOffsetOf(name);
          const index = OffsetIndexFile.read(path, base);
          withSegment(segmentOf(path), (log) => dumpOffsetIndex(index, absolute(path), log, job, problems, job.print));
          break;
        }
        case '.timeindex': {
          const base = startOffsetOf(name);
          const timeIndex = TimeIndexFile.read(path, base);
          const index = OffsetIndexFile.read(join(dirname(path), `${name.split('.')[0]}.index`), base);
          withSegment(segmentOf(path), (log) => dumpTimeIndex(timeIndex, absolute(path), index, log, job, problems, job.print));
          break;
        }
        case '.snapshot':
          dumpProducerSnapshot(path, job.print, job.printError);
          break;
        case '.txnindex':
          dumpTxnIndex(path, job.print);
          break;
        default:
          job.printError(`Ignoring unknown file ${path}`);
      }
    } catch (err) {
      if (err instanceof KtsError) throw err;
      throw new KtsError(`Error: ${describe(err, path)}`);
    }
  }
  for (const line of problems.lines()) job.printError(line);
}

function withSegment(path: string, dump: (log: SegmentFile) => void): void {
  const log = SegmentFile.open(path);
  try {
    dump(log);
  } finally {
    log.close();
  }
}

/** The base offset a segment file is named after (the part before the first dot). */
function startOffsetOf(name: string): bigint {
  const prefix = name.split('.')[0]!;
  if (!/^-?\d+$/.test(prefix)) throw new KtsError(`Error: For input string: "${prefix}" (segment files are named after their base offset)`);
  return BigInt(prefix);
}

function snapshotLine(name: string): string {
  if (name === 'bootstrap.checkpoint') return 'KRaft bootstrap snapshot';
  const m = SNAPSHOT_NAME.exec(name);
  if (m === null)
    throw new KtsError(`Error: ${name} is not named like a KRaft snapshot (<20-digit end offset>-<10-digit epoch>.checkpoint)`);
  return `Snapshot end offset: ${BigInt(m[1]!)}, epoch: ${Number(m[2]!)}`;
}

/** The `.log` beside an index file. */
function segmentOf(indexPath: string): string {
  return join(dirname(indexPath), `${basename(indexPath).split('.')[0]}.log`);
}

/** java.io.File's form of a path: repeated and trailing slashes dropped. */
function javaFilePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** File.getAbsolutePath: against the working directory, without resolving `.` or `..`. */
function absolute(path: string): string {
  return path.startsWith('/') ? path : `${process.cwd()}/${path}`;
}

function describe(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${(err as NodeJS.ErrnoException).path ?? path} (No such file or directory)`;
  if (code === 'EISDIR') return `${path} (Is a directory)`;
  if (code === 'EACCES') return `${(err as NodeJS.ErrnoException).path ?? path} (Permission denied)`;
  return `${path}: ${oneLine(err)}`;
}
