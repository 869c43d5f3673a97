import { readSetWatches } from '../jute/records.js';
import { Err, EventType, OpCode } from '../protocol/codes.js';
import type { TreeEvent } from '../tree/data-tree.js';
import type { OpHandler } from './op-request.js';

/**
 * setWatches (101), setWatches2 (105) after a reconnect: a watch whose condition already changed
 * past the client's last zxid fires at once; the others are registered.
 */
export const setWatches: OpHandler = (op, r) => {
  const sw = readSetWatches(r, op.type === OpCode.setWatches2);
  const { tree, conn } = op;
  const { watches } = op.server;
  const fire = (event: TreeEvent): void => conn.notify(event);
  for (const path of sw.data) {
    const node = tree.get(path);
    if (!node) fire({ type: EventType.NodeDeleted, path });
    else if (node.mzxid > sw.relativeZxid) fire({ type: EventType.NodeDataChanged, path });
    else watches.add('data', path, conn);
  }
  for (const path of sw.exist) {
    if (tree.get(path)) fire({ type: EventType.NodeCreated, path });
    else watches.add('data', path, conn);
  }
  for (const path of sw.child) {
    const node = tree.get(path);
    if (!node) fire({ type: EventType.NodeDeleted, path });
    else if (node.pzxid > sw.relativeZxid) fire({ type: EventType.NodeChildrenChanged, path });
    else watches.add('child', path, conn);
  }
  for (const path of sw.persistent) watches.add('persistent', path, conn);
  for (const path of sw.persistentRecursive) watches.add('recursive', path, conn);
  op.reply(Err.OK);
};
