import { oneLine } from '../../util/errors.js';
import { describeOffsets, groupNotice } from './describe.js';
import type { GroupCluster } from './group-cluster.js';
import { asConsumerGroupsError } from './kafka-errors.js';
import { offsetsTable } from './tables.js';

export interface WatchScreen {
  write(text: string): void;
  /** A terminal gets the screen cleared before each refresh; a pipe gets snapshots one after another. */
  isTTY: boolean;
}

const CLEAR_SCREEN = '\x1b[H\x1b[2J';

/**
 * `--describe --watch`: the offsets table with time lag, refreshed every `intervalMs` until
 * `signal` aborts. A failed refresh is shown and retried at the next tick.
 */
export async function watchOffsets(
  cluster: GroupCluster,
  groupIds: () => Promise<string[]>,
  intervalMs: number,
  screen: WatchScreen,
  signal: AbortSignal,
): Promise<void> {
  for (let first = true; !signal.aborted; first = false) {
    let snapshot = `Every ${intervalMs / 1000}s, ${new Date().toISOString()}\n`;
    try {
      for (const { group, state, rows } of await describeOffsets(cluster, await groupIds(), true)) {
        const notice = groupNotice(group, state, rows.length);
        if (notice.message !== undefined) snapshot += `${notice.message.replace(/^\n/, '')}\n`;
        if (notice.show) snapshot += offsetsTable(rows, true);
      }
    } catch (err) {
      snapshot += `${oneLine(asConsumerGroupsError(err))}\n`;
    }
    if (signal.aborted) return;
    screen.write(screen.isTTY ? `${CLEAR_SCREEN}${snapshot}` : `${first ? '' : '\n'}${snapshot}`);
    await sleep(intervalMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
