import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Runs scripts/check-layers.mjs with the project's rules over a src/ tree made of `files`. */
function checkLayers(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'kts-layers-'));
  roots.push(root);
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return spawnSync(process.execPath, [join(ROOT, 'scripts/check-layers.mjs')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('npm run lint’s layer check', () => {
  it('passes downward imports and prints the graph between the layers', () => {
    const r = checkLayers({
      'src/cli/main.ts': "import { a } from '../tools/a.js';\nexport const main = a;\n",
      'src/tools/a.ts': "import { b } from '../client/b.js';\nexport const a = b;\n",
      'src/client/b.ts': "import { c } from '../util/c.js';\nexport const b = c;\n",
      'src/util/c.ts': 'export const c = 1;\n',
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/cli +→ tools 1\n {2}tools +→ client 1\n {2}client +→ util 1\n/);
    expect(r.stdout).toContain('No import from a lower layer to a higher one, no cycle (4 modules, 3 imports).');
  });

  it('fails on an upward import, a cycle, and the broker reaching into the ZooKeeper server', () => {
    const r = checkLayers({
      'src/cli/errors.ts': 'export class E extends Error {}\n',
      'src/util/a.ts': "import type { E } from '../cli/errors.js';\nexport type A = E;\n",
      'src/tools/x.ts': "import { y } from './y.js';\nexport const x = () => y;\n",
      'src/tools/y.ts': "import { x } from './x.js';\nexport const y = () => x;\n",
      'src/zookeeper/tree/t.ts': 'export const t = 1;\n',
      'src/broker/z.ts': "import { t } from '../zookeeper/tree/t.js';\nexport const z = t;\n",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('util-imports-nothing: src/util/a.ts → src/cli/errors.ts');
    expect(r.stderr).toContain('no-cycle: src/tools/x.ts → src/tools/y.ts → src/tools/x.ts');
    expect(r.stderr).toContain('broker-uses-no-cli-tools-or-zookeeper-server: src/broker/z.ts → src/zookeeper/tree/t.ts');
    expect(r.stderr).toMatch(/^3 import\(s\) break the layering rules/m);
  });
});
