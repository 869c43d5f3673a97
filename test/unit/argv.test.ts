import { describe, expect, it } from 'vitest';
import { normaliseArgv } from '../../src/cli/argv.js';

describe('normaliseArgv', () => {
  it("rewrites Kafka's single-dash -daemon", () => {
    expect(normaliseArgv(['server-start', '-daemon', 'config/server.properties'])).toEqual([
      'server-start',
      '--daemon',
      'config/server.properties',
    ]);
  });

  it('leaves short flags and everything after -- alone', () => {
    expect(normaliseArgv(['x', '-h', '--', '-daemon'])).toEqual(['x', '-h', '--', '-daemon']);
  });
});
