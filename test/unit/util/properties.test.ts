import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KtsError, UsageError } from '../../../src/util/errors.js';
import { exitCodeOf } from '../../../src/cli/errors.js';
import { parseProperties, parsePropertyArgs, readPropertiesFile } from '../../../src/util/properties.js';

const entries = (text: string) => [...parseProperties(text)];

/**
 * Inputs and the key/value pairs java.util.Properties.load produced for them on OpenJDK 17
 * (ground truth from a throwaway Java program; Java's own order is a hash order, so these are
 * listed in first-appearance order, which is what parseProperties keeps).
 */
const JAVA_CASES: [string, string, [string, string][]][] = [
  [
    'separators =, : and whitespace',
    'a=1\nb : 2\nc 3\nd\te\n',
    [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', 'e'],
    ],
  ],
  [
    'comments only at line start; a comment never continues',
    '# c\n  ! c2\na=1 # not comment\n#x\\\nb=2\n',
    [
      ['a', '1 # not comment'],
      ['b', '2'],
    ],
  ],
  [
    'only the first separator counts; whitespace then one = or : is skipped',
    'k==v\nk2 = = v\nk3:=v\nk4 : : v\nk5  v w \n',
    [
      ['k', '=v'],
      ['k2', '= v'],
      ['k3', '=v'],
      ['k4', ': v'],
      ['k5', 'v w '],
    ],
  ],
  ['escapes in keys and values', 'k\\ ey=v\\ta\\nb\\rc\\fd\\\\e\\=f\\:g\\#h\\qi\\!j\n', [['k ey', 'v\ta\nb\rc\fd\\e=f:g#hqi!j']]],
  ['\\u escapes, either case', 'u=\\u0041\\u00e9x\\u00E9\n', [['u', 'Aéxé']]],
  [
    'continuations drop the next line’s leading whitespace; an even backslash run does not continue',
    'k=a\\\n   b\\\n\tc\nk2=x\\\\\nk3=y\\\\\\\n  z\n',
    [
      ['k', 'abc'],
      ['k2', 'x\\'],
      ['k3', 'y\\z'],
    ],
  ],
  [
    'CRLF, CR and LF',
    'a=1\r\nb=2\rc=3\\\r\n  d\n',
    [
      ['a', '1'],
      ['b', '2'],
      ['c', '3d'],
    ],
  ],
  [
    'empty values and keys',
    'e=\nf\n=g\n:h\n  \n',
    [
      ['e', ''],
      ['f', ''],
      ['', 'h'],
    ],
  ],
  [
    'the last duplicate wins',
    'a=1\nb=2\na=3\n',
    [
      ['a', '3'],
      ['b', '2'],
    ],
  ],
  ['a backslash at end of input is dropped', 'a=1\\', [['a', '1']]],
  [
    'a continuation into a blank line ends the line',
    'a=1\\\n   \nb=2\n',
    [
      ['a', '1'],
      ['b', '2'],
    ],
  ],
  ['# after a continuation is data', 'a=1\\\n#x\n', [['a', '1#x']]],
  ['# after a continuation that added nothing is a comment', '\\\n\\\n#y\nq=2\n', [['q', '2']]],
  [
    'escaped separators in keys',
    'a\\:b=c\na\\=b:c\nk\\u003dv=1\n\\u0023c=1\n',
    [
      ['a:b', 'c'],
      ['a=b', 'c'],
      ['k=v', '1'],
      ['#c', '1'],
    ],
  ],
  [
    'tabs and form feeds are whitespace',
    '\f a=1\nk \t = v\nk2 \t : \t v\n',
    [
      ['a', '1'],
      ['k', 'v'],
      ['k2', 'v'],
    ],
  ],
  ['escaped leading spaces in a value are kept', 'k=\\  v\n', [['k', '  v']]],
  [
    'a continued key',
    'a\\\n  b=c\nk\\\n =v\n',
    [
      ['ab', 'c'],
      ['k', 'v'],
    ],
  ],
  ['\\u across a continuation', 'a=\\u0041\\\n  \\u0042\n', [['a', 'AB']]],
  ['NUL and U+FFFF', 'x=\\uFFFF\\u0000y\n', [['x', '\uffff\u0000y']]],
  [
    'a key ending in an escaped backslash',
    'k\\\\\nz\n',
    [
      ['k\\', ''],
      ['z', ''],
    ],
  ],
];

describe('parseProperties matches java.util.Properties.load', () => {
  it.each(JAVA_CASES)('%s', (_name, text, expected) => {
    expect(entries(text)).toEqual(expected);
  });

  it.each([
    ['a=1\nb=\\u12G4\n', 2],
    ['b=\\u12', 1],
    ['x=\\u00', 1],
    ['\n\nx=\\u\n', 3],
    ['k\\uZZZZ=1', 1],
  ])('rejects the malformed \\u escape in %j, naming line %i', (text, line) => {
    expect(() => parseProperties(text)).toThrow(UsageError);
    expect(() => parseProperties(text)).toThrow(`Error: malformed \\uxxxx escape on line ${line}`);
  });

  it('keeps insertion order of first appearance', () => {
    expect([...parseProperties('z=1\na=2\nm=3\nz=4\n').keys()]).toEqual(['z', 'a', 'm']);
  });
});

describe('readPropertiesFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kts-props-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a UTF-8 file', () => {
    const path = join(dir, 'client.properties');
    writeFileSync(path, '# client\nsecurity.protocol=SASL_SSL\nclient.id = caf\u00e9\n');
    expect([...readPropertiesFile(path)]).toEqual([
      ['security.protocol', 'SASL_SSL'],
      ['client.id', 'café'],
    ]);
  });

  it('gives one-line KtsErrors for files it cannot read', () => {
    const missing = join(dir, 'nope.properties');
    expect(() => readPropertiesFile(missing)).toThrow(new KtsError(`Error: could not read properties file '${missing}': no such file`));
    expect(() => readPropertiesFile(dir)).toThrow(`Error: could not read properties file '${dir}': is a directory`);
    try {
      readPropertiesFile(missing);
    } catch (err) {
      expect(err).toBeInstanceOf(KtsError);
      expect(exitCodeOf(err)).toBe(1);
    }
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file', () => {
    const path = join(dir, 'secret.properties');
    writeFileSync(path, 'a=1\n');
    chmodSync(path, 0o000);
    expect(() => readPropertiesFile(path)).toThrow(`Error: could not read properties file '${path}': permission denied`);
  });

  it('names the file and line of a malformed escape', () => {
    const path = join(dir, 'bad.properties');
    writeFileSync(path, 'a=1\r\nb=\\u00zz\r\n');
    expect(() => readPropertiesFile(path)).toThrow(new UsageError(`Error: properties file '${path}': malformed \\uxxxx escape on line 2`));
  });
});

describe('parsePropertyArgs', () => {
  it('splits at the first = without escapes; a missing value is empty', () => {
    expect([...parsePropertyArgs(['acks=all', 'a=b=c', 'flag', 'empty=', 'p=\\t', 'acks=1'])]).toEqual([
      ['acks', '1'],
      ['a', 'b=c'],
      ['flag', ''],
      ['empty', ''],
      ['p', '\\t'],
    ]);
  });

  it('rejects an empty key', () => {
    expect(() => parsePropertyArgs(['=v'])).toThrow(new UsageError("Error: invalid property '=v': expected key=value"));
  });
});
