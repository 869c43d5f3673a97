import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/util/errors.js';
import { parseJaasConfig } from '../../../src/client/jaas.js';

const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule';
const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule';

describe('parseJaasConfig', () => {
  it('reads the login module, flag and quoted options', () => {
    const entry = parseJaasConfig(`${PLAIN} required username="alice" password="s3cret";`);
    expect(entry.loginModule).toBe(PLAIN);
    expect(entry.flag).toBe('required');
    expect([...entry.options]).toEqual([
      ['username', 'alice'],
      ['password', 's3cret'],
    ]);
  });

  it('handles escapes, single quotes, separators inside quotes, bare words and comments', () => {
    const entry = parseJaasConfig(
      `${SCRAM}  optional\n  username='bob' /* the user */ password="p\\"w;d=\\\\x" // trailing\n tokenauth=true ;`,
    );
    expect(entry.flag).toBe('optional');
    expect(Object.fromEntries(entry.options)).toEqual({ username: 'bob', password: 'p"w;d=\\x', tokenauth: 'true' });
  });

  it('accepts an empty quoted value and no options at all', () => {
    expect(parseJaasConfig(`${PLAIN} required username="" password="";`).options.get('username')).toBe('');
    expect(parseJaasConfig(`${PLAIN} sufficient;`).options.size).toBe(0);
  });

  it.each([
    ['', 'expected a login module class name'],
    ['"quoted" required;', 'expected a login module class name'],
    [`${PLAIN} username="a";`, `expected a control flag (required, requisite, sufficient or optional) after ${PLAIN}`],
    [`${PLAIN} required username="a"`, "missing ';' at the end"],
    [`${PLAIN} required username "a";`, "expected '=' after username"],
    [`${PLAIN} required username=;`, 'value not specified for username'],
    [`${PLAIN} required username=`, 'value not specified for username'],
    [`${PLAIN} required ="a";`, "unexpected '='"],
    [`${PLAIN} required a="1"; ${SCRAM} required b="2";`, 'only one login module may be given'],
  ])('rejects %j', (text, why) => {
    expect(() => parseJaasConfig(text)).toThrow(new UsageError(`Error: invalid sasl.jaas.config: ${why}`));
  });
});
