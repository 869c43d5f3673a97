// Rewrites completions/ and bin/kafka/ from the command tree (run after `npm run build`).
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles, SHIM_DIR } from '../dist/cli/generated-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = await generatedFiles();
mkdirSync(join(root, SHIM_DIR), { recursive: true });
for (const stale of readdirSync(join(root, SHIM_DIR))) rmSync(join(root, SHIM_DIR, stale));
for (const f of files) {
  const path = join(root, f.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, f.content);
  if (f.executable) chmodSync(path, 0o755);
  console.log(`wrote ${f.path}`);
}
