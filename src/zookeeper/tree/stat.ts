import type { JuteWriter } from '../jute/writer.js';
import { isEphemeral, type Znode } from './znode.js';

/**
 * The 68-byte Stat record of a node. cversion is derived as DataNode.copyStat does, so it counts
 * deletions too while the stored counter (the sequential suffix) counts creations only. Containers
 * and TTL nodes show ephemeralOwner 0, as DataTree.getClientEphemeralOwner does.
 */
export function writeStat(w: JuteWriter, n: Znode): void {
  w.long(n.czxid);
  w.long(n.mzxid);
  w.long(n.ctime);
  w.long(n.mtime);
  w.int32(n.version);
  w.int32(2 * n.cversion - n.children.size);
  w.int32(n.aversion);
  w.long(isEphemeral(n.ephemeralOwner) ? n.ephemeralOwner : 0n);
  w.int32(n.data.length);
  w.int32(n.children.size);
  w.long(n.pzxid);
}
