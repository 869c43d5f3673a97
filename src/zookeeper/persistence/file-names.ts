import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** ZooKeeper's layout: `<dir>/version-2/log.<first zxid>` and `snapshot.<last zxid>`, zxid in hex. */
export const VERSION_DIR = 'version-2';

export type FileKind = 'log' | 'snapshot';

export interface ZxidFile {
  path: string;
  zxid: number;
}

export function fileName(kind: FileKind, zxid: number): string {
  return `${kind}.${zxid.toString(16)}`;
}

/** Files of one kind in `dir`, oldest (lowest zxid) first. */
export function listFiles(dir: string, kind: FileKind): ZxidFile[] {
  const pattern = new RegExp(`^${kind}\\.([0-9a-f]+)$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: ZxidFile[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (m) out.push({ path: join(dir, name), zxid: parseInt(m[1]!, 16) });
  }
  return out.sort((a, b) => a.zxid - b.zxid);
}
