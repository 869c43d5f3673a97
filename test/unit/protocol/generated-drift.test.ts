import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { generate, writeGenerated } from '../../../generator/generate.js';
import { kafkaProtocolDir } from '../../../generator/kafka-protocol-dir.js';
import { requestHeaderVersion, responseHeaderVersion } from '../../../src/protocol/header.js';
import { needs, REPO_ROOT } from '../../helpers/requirements.js';

// The only tests that read Kafka's schemas ($KAFKA_PROTOCOL_DIR): every other protocol test runs
// from the generated code and the schema model committed beside it.
const SCHEMAS_DIR = kafkaProtocolDir(REPO_ROOT).dir;
const COMMITTED = fileURLToPath(new URL('../../../src/protocol/generated', import.meta.url));

function snapshot(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
  return new Map(files.sort().map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
}

describe('src/protocol/generated against Kafka’s schemas', needs('kafka-schemas'), () => {
  it('is exactly what the generator makes from the schemas (run npm run gen:protocol after changes)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'kts-gen-'));
    onTestFinished(() => rmSync(scratch, { recursive: true, force: true }));
    writeGenerated(scratch, generate(SCHEMAS_DIR));
    const fresh = snapshot(scratch);
    const committed = snapshot(COMMITTED);
    expect([...committed.keys()]).toEqual([...fresh.keys()]);
    for (const [path, content] of fresh) expect(committed.get(path), path).toBe(content);
  });

  it('is deterministic', () => {
    expect(generate(SCHEMAS_DIR)).toEqual(generate(SCHEMAS_DIR));
  });

  it('uses the header versions of the schema folder’s README table for every API and version', () => {
    const readme = readFileSync(join(SCHEMAS_DIR, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| (\d+) \| \w+ \|[^|\n]*\|[^|\n]*\|[^|\n]*\| (v[^|\n]+) \|/gm)];
    expect(rows.length).toBe(88);
    for (const [, key, spec] of rows) {
      for (const part of spec!.split(';')) {
        const m = /v(\d+)(?:-(\d+))?: (\d)\/(\d)/.exec(part)!;
        for (let v = Number(m[1]); v <= Number(m[2] ?? m[1]); v++) {
          expect([requestHeaderVersion(Number(key), v), responseHeaderVersion(Number(key), v)], `key ${key} v${v}`).toEqual([
            Number(m[3]),
            Number(m[4]),
          ]);
        }
      }
    }
  });
});
