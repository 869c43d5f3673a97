import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, writeGenerated } from '../../../src/protocol/generator/generate.js';
import { SCHEMAS_DIR } from './schemas.js';

const COMMITTED = fileURLToPath(new URL('../../../src/protocol/generated', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'kts-gen-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function snapshot(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  return new Map(files.sort().map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
}

describe('src/protocol/generated', () => {
  it('is exactly what the generator makes from the schemas (run npm run gen:protocol after changes)', () => {
    writeGenerated(scratch, generate(SCHEMAS_DIR));
    const fresh = snapshot(scratch);
    const committed = snapshot(COMMITTED);
    expect([...committed.keys()]).toEqual([...fresh.keys()]);
    for (const [path, content] of fresh) expect(committed.get(path), path).toBe(content);
  });

  it('is deterministic', () => {
    expect(generate(SCHEMAS_DIR)).toEqual(generate(SCHEMAS_DIR));
  });
});
