import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, REQUIREMENTS } from './requirements.js';

describe('test requirements', () => {
  it('name only Debian packages that npm run setup:interop installs (scripts/interop-packages)', () => {
    const listed = readFileSync(join(REPO_ROOT, 'scripts/interop-packages'), 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim().split(/\s+/)[0])
      .filter((word) => word !== undefined && word !== '');
    const named = Object.values(REQUIREMENTS).flatMap((r) => r.packages);
    expect(named.filter((p) => !listed.includes(p))).toEqual([]);
  });
});
