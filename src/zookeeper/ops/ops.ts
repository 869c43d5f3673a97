import { OpCode } from '../protocol/codes.js';
import { addWatch } from './add-watch.js';
import { auth } from './auth.js';
import { check } from './check.js';
import { closeSession } from './close-session.js';
import { create } from './create.js';
import { deleteNode } from './delete.js';
import { exists } from './exists.js';
import { getAcl } from './get-acl.js';
import { getAllChildrenNumber } from './get-all-children-number.js';
import { getChildren } from './get-children.js';
import { getData } from './get-data.js';
import { getEphemerals } from './get-ephemerals.js';
import { multi } from './multi.js';
import { multiRead } from './multi-read.js';
import type { OpHandler } from './op-request.js';
import { ping } from './ping.js';
import { removeWatches } from './remove-watches.js';
import { setAcl } from './set-acl.js';
import { setData } from './set-data.js';
import { setWatches } from './set-watches.js';
import { sync } from './sync.js';
import { whoAmI } from './who-am-i.js';

/**
 * Every op the server answers, one line each. reconfig, sasl and anything newer are not here: a
 * standalone server does not implement them (UNIMPLEMENTED).
 */
export const OPS: ReadonlyMap<number, OpHandler> = new Map([
  [OpCode.ping, ping],
  [OpCode.closeSession, closeSession],
  [OpCode.auth, auth],
  [OpCode.create, create],
  [OpCode.create2, create],
  [OpCode.createContainer, create],
  [OpCode.createTTL, create],
  [OpCode.delete, deleteNode],
  [OpCode.setData, setData],
  [OpCode.setACL, setAcl],
  [OpCode.check, check],
  [OpCode.multi, multi],
  [OpCode.multiRead, multiRead],
  [OpCode.sync, sync],
  [OpCode.exists, exists],
  [OpCode.getData, getData],
  [OpCode.getChildren, getChildren],
  [OpCode.getChildren2, getChildren],
  [OpCode.getACL, getAcl],
  [OpCode.getAllChildrenNumber, getAllChildrenNumber],
  [OpCode.getEphemerals, getEphemerals],
  [OpCode.setWatches, setWatches],
  [OpCode.setWatches2, setWatches],
  [OpCode.addWatch, addWatch],
  [OpCode.checkWatches, removeWatches],
  [OpCode.removeWatches, removeWatches],
  [OpCode.whoAmI, whoAmI],
]);
