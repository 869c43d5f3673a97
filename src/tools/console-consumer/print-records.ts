import type { ConsumedRecord } from '../common/consumed-record.js';
import type { FetchedPartition } from '../../client/consumer/fetched-partition.js';
import type { ConsumeSession } from './consume-session.js';
import type { EndTracker } from './end-tracker.js';
import { OutputChunks } from './output-chunks.js';

/** Where records come from: the fetcher itself (no group), or a group member. */
export interface RecordSource {
  /** The next fetched data; null once closed. */
  next(): Promise<FetchedPartition | null>;
  /** Walks the records while `visit` consumes them; the first one it refuses ends the walk. */
  read(fetched: FetchedPartition, visit: (record: ConsumedRecord) => boolean): boolean;
}

/**
 * Formats each fetched partition's records into one buffer and writes it with one write, until
 * the session stops or the source is closed. `tracker` (--exit-at-end) stops the session once
 * every partition reached its end. Resolves with the error that ended the session, or undefined.
 */
export async function printRecords(source: RecordSource, session: ConsumeSession, tracker?: EndTracker): Promise<unknown> {
  session.touch();
  const stopped = session.finished.then(() => null);
  while (!session.stopping) {
    const fetched = await Promise.race([source.next(), stopped]);
    if (fetched === null) break;
    session.touch();
    const out = new OutputChunks(fetched.size);
    source.read(fetched, (record) => !session.stopping && session.format(record, out));
    await session.write(out);
    tracker?.reached(fetched.topic, fetched.partition, fetched.nextOffset);
    if (tracker?.done) session.stop();
  }
  return session.finished;
}
