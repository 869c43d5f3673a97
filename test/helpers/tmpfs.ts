import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  path: string;
  unmount(): void;
}

/**
 * A tmpfs mounted at a fresh temp dir with mount `options` (`size=4194304`, `nr_inodes=200`): a
 * small disk to fill. Or why there cannot be one (mounting needs root), for the test to skip with.
 */
export function mountTmpfs(options: string): Tmpfs | string {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root';
  const path = mkdtempSync(join(tmpdir(), 'kts-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(path, { recursive: true, force: true });
    return `mount -t tmpfs failed: ${mounted.stderr.trim() || mounted.error?.message}`;
  }
  return {
    path,
    unmount: () => {
      spawnSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
