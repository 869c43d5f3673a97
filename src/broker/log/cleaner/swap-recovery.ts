import { closeSync, fstatSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { walkBatches } from '../batch-walker.js';
import { fsyncDir, readAt } from '../file-io.js';
import { CLEANED_SUFFIX, LOG_SUFFIX, SWAP_SUFFIX, filenamePrefixFromOffset, parseSegmentFileName } from '../log-file-names.js';
import { batchLastOffset } from '../stored-batch.js';

/**
 * Finishes what a crash interrupted in the log cleaner, before a partition directory is loaded
 * (Kafka's LogLoader.removeTempFilesAndCollectSwapFiles + completeSwapOperations):
 * - `*.cleaned` files were never committed: deleted.
 * - `<base>.log.swap` is a committed cleaned segment: the old segments it replaces (base offsets
 *   from `<base>` up to the swap's next offset) are deleted and the swap files take their final
 *   names. The cleaner always keeps the last batch of the segments it merges, so that range is
 *   exactly theirs.
 * - `.swap` index files without their `.log.swap` are leftovers: deleted (indexes are rebuilt).
 * `names` is the directory's listing; true when something was changed (the listing is stale then).
 */
export function completeInterruptedSwaps(dir: string, names: readonly string[]): boolean {
  const swaps = names
    .filter((name) => name.endsWith(SWAP_SUFFIX))
    .map((name) => ({ name, final: name.slice(0, -SWAP_SUFFIX.length) }))
    .map((swap) => ({ ...swap, parsed: parseSegmentFileName(swap.final) }));
  const committed = new Set(swaps.flatMap((s) => (s.parsed?.suffix === LOG_SUFFIX ? [s.parsed.baseOffset] : [])));
  const leftovers = [
    ...names.filter((name) => name.endsWith(CLEANED_SUFFIX)),
    ...swaps.filter((s) => !s.parsed || !committed.has(s.parsed.baseOffset)).map((s) => s.name),
  ];
  for (const name of leftovers) unlinkSync(join(dir, name));
  for (const base of committed) {
    const next = nextOffsetOf(join(dir, filenamePrefixFromOffset(base) + LOG_SUFFIX + SWAP_SUFFIX), base);
    for (const name of names) {
      const parsed = parseSegmentFileName(name);
      const replaced = parsed && parsed.baseOffset >= base && (parsed.baseOffset < next || parsed.baseOffset === base);
      if (replaced) unlinkSync(join(dir, name));
    }
    // The .log last: while it is a .swap, a crash here is completed again on the next load.
    const isLog = (swap: (typeof swaps)[number]) => Number(swap.parsed!.suffix === LOG_SUFFIX);
    const own = swaps.filter((s) => s.parsed?.baseOffset === base).sort((a, b) => isLog(a) - isLog(b));
    for (const swap of own) renameSync(join(dir, swap.name), join(dir, swap.final));
  }
  if (leftovers.length + committed.size === 0) return false;
  fsyncDir(dir);
  return true;
}

/** The offset after the last whole batch of a segment file. */
function nextOffsetOf(path: string, base: bigint): bigint {
  const fd = openSync(path, 'r');
  try {
    let next = base;
    const file = { read: (buf: Buffer, position: number, length?: number, at?: number) => readAt(fd, buf, position, length, at) };
    walkBatches(file, 0, fstatSync(fd).size, (buf, at) => {
      next = batchLastOffset(buf, at) + 1n;
    });
    return next;
  } finally {
    closeSync(fd);
  }
}
