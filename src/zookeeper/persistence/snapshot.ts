import { readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { JuteReader } from '../jute/reader.js';
import { readAcl, writeAcl } from '../jute/records.js';
import { JuteWriter } from '../jute/writer.js';
import { DataTree } from '../tree/data-tree.js';
import type { Znode } from '../tree/znode.js';
import { fileName, listFiles } from './file-names.js';
import { readRecords, recordHeader } from './record-file.js';

const SNAP_MAGIC = Buffer.from('KTZKSNP1');

/**
 * Serializes the whole tree and session table as of `tree.lastZxid`, synchronously, so the image
 * is consistent; parents come before their children.
 */
export function serializeSnapshot(tree: DataTree): Buffer[] {
  const w = new JuteWriter(64 * 1024);
  w.long(tree.lastZxid);
  w.int32(tree.sessions.size);
  for (const [id, s] of tree.sessions) {
    w.long(id);
    w.int32(s.timeout);
    w.buffer(s.passwd);
  }
  w.int32(tree.nodes.size);
  const stack = ['/'];
  while (stack.length > 0) {
    const path = stack.pop()!;
    const n = tree.nodes.get(path)!;
    w.ustring(path);
    w.buffer(n.data);
    w.vector(n.acl, writeAcl);
    for (const v of [n.czxid, n.mzxid, n.ctime, n.mtime, n.pzxid]) w.long(v);
    for (const v of [n.version, n.cversion, n.aversion]) w.int32(v);
    w.long(n.ephemeralOwner);
    for (const name of n.children) stack.push(path === '/' ? `/${name}` : `${path}/${name}`);
  }
  const payload = w.finish();
  return [SNAP_MAGIC, recordHeader(payload), ...payload];
}

/** Writes a snapshot next to its final name and renames it in place once it is on disk. */
export async function writeSnapshot(dir: string, zxid: number, chunks: Buffer[]): Promise<void> {
  const path = join(dir, fileName('snapshot', zxid));
  const tmp = `${path}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writev(chunks);
    await file.datasync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
}

/** The newest intact snapshot in `dir`, or a fresh tree when there is none. */
export function loadNewestSnapshot(dir: string): DataTree {
  for (const file of listFiles(dir, 'snapshot').reverse()) {
    const tree = parseSnapshot(readFileSync(file.path));
    if (tree) return tree;
  }
  return new DataTree();
}

function parseSnapshot(buf: Buffer): DataTree | undefined {
  if (!buf.subarray(0, SNAP_MAGIC.length).equals(SNAP_MAGIC)) return undefined;
  const { payloads } = readRecords(buf, SNAP_MAGIC.length);
  if (payloads.length !== 1) return undefined;
  const r = new JuteReader(payloads[0]!);
  const tree = new DataTree();
  tree.lastZxid = r.long();
  for (let i = r.int32(); i > 0; i--) tree.sessions.set(r.int64(), { timeout: r.int32(), passwd: r.buffer() });
  tree.nodes.clear();
  for (let i = r.int32(); i > 0; i--) {
    const path = r.ustring();
    const node: Znode = {
      data: r.buffer(),
      acl: r.vector(readAcl),
      czxid: r.long(),
      mzxid: r.long(),
      ctime: r.long(),
      mtime: r.long(),
      pzxid: r.long(),
      version: r.int32(),
      cversion: r.int32(),
      aversion: r.int32(),
      ephemeralOwner: r.int64(),
      children: new Set(),
    };
    tree.insert(path, node);
  }
  return tree;
}
