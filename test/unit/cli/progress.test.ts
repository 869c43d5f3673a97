import { describe, expect, it } from 'vitest';
import { progressBar } from '../../../src/cli/progress.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe('progress bar', () => {
  it('draws on a terminal and clears itself at the end', () => {
    const s = stream(true);
    const bar = progressBar(200, 'records', s.stream);
    bar.update(50);
    bar.update(200);
    bar.end();
    expect(s.writes[0]).toBe(`\r[${'#'.repeat(8)}${'.'.repeat(22)}]  25% 50/200 records\x1b[K`);
    expect(s.writes[1]).toContain('100% 200/200 records');
    expect(s.writes.at(-1)).toBe('\r\x1b[K');
  });

  it('never draws in a pipe or a file', () => {
    const s = stream(false);
    const bar = progressBar(200, 'records', s.stream);
    bar.update(100);
    bar.end();
    expect(s.writes).toEqual([]);
  });
});
