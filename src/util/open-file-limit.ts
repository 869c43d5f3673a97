import { readFileSync } from 'node:fs';

/** Used when the limit cannot be read (not Linux): Linux's usual soft limit. */
const DEFAULT_OPEN_FILE_LIMIT = 1024;

let openFiles: number | undefined;

/** The process's soft limit on open files (`ulimit -n`), from /proc/self/limits. */
export function openFileLimit(): number {
  openFiles ??= readOpenFileLimit();
  return openFiles;
}

function readOpenFileLimit(): number {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (line?.[1] === 'unlimited') return Number.MAX_SAFE_INTEGER;
    return line ? Number(line[1]) : DEFAULT_OPEN_FILE_LIMIT;
  } catch {
    return DEFAULT_OPEN_FILE_LIMIT;
  }
}
