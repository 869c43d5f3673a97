import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generatedFiles, SHIM_DIR } from '../../src/cli/generated-files.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('committed completions and bin/kafka shims', () => {
  it('match the command tree (run `npm run gen:cli` after changing commands)', async () => {
    for (const f of await generatedFiles()) {
      const path = join(root, f.path);
      expect(existsSync(path), `${f.path} is missing`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${f.path} is stale`).toBe(f.content);
      if (f.executable) expect(statSync(path).mode & 0o111, `${f.path} is not executable`).not.toBe(0);
    }
  });

  it('has no shim for a command that is not registered', async () => {
    const expected = new Set((await generatedFiles()).filter((f) => f.path.startsWith(SHIM_DIR)).map((f) => f.path));
    const dir = join(root, SHIM_DIR);
    const present = existsSync(dir) ? readdirSync(dir).map((n) => `${SHIM_DIR}/${n}`) : [];
    expect(present.filter((p) => !expected.has(p))).toEqual([]);
  });
});
