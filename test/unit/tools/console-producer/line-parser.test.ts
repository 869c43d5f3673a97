import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/util/errors.js';
import { javaSplit } from '../../../../src/tools/common/java-split.js';
import { LineError, parseLine } from '../../../../src/tools/console-producer/line-parser.js';
import { LineSplitter } from '../../../../src/tools/console-producer/line-splitter.js';
import { readerConfig } from '../../../../src/tools/console-producer/reader-properties.js';

const reader = (props: Record<string, string> = {}) => readerConfig(new Map(Object.entries(props)));
const parse = (line: string, props: Record<string, string> = {}) => parseLine(line, 7, reader(props));

describe('LineMessageReader grammar', () => {
  it('defaults to the whole line as the value, no key, no headers; an empty line is an empty value', () => {
    expect(parse('a\tb:c')).toEqual({ key: null, value: 'a\tb:c' });
    expect(parse('')).toEqual({ key: null, value: '' });
  });

  it('parse.key splits at the first key.separator (tab by default); booleans are trimmed, case-insensitive', () => {
    expect(parse('k\tv\tw', { 'parse.key': ' TRUE ' })).toEqual({ key: 'k', value: 'v\tw' });
    expect(parse('k::v', { 'parse.key': 'true', 'key.separator': '::' })).toEqual({ key: 'k', value: 'v' });
    expect(parse('k\tv', { 'parse.key': 'yes' })).toEqual({ key: null, value: 'k\tv' });
  });

  it('parse.headers reads headers.separator-separated key:value pairs before headers.delimiter', () => {
    const m = parse('h1:v1,h2:v:2\tk\tval', { 'parse.headers': 'true', 'parse.key': 'true' });
    expect(m.key).toBe('k');
    expect(m.value).toBe('val');
    expect(m.headers).toEqual([
      { key: 'h1', value: 'v1' },
      { key: 'h2', value: 'v:2' },
    ]);
  });

  it('keeps repeated header keys, honours custom delimiters and a regex headers.separator', () => {
    const m = parse('a=1;;a=2  |x', {
      'parse.headers': 'true',
      'headers.delimiter': '|',
      'headers.separator': ';+',
      'headers.key.separator': '=',
    });
    expect(m.headers).toEqual([
      { key: 'a', value: '1' },
      { key: 'a', value: '2  ' },
    ]);
    expect(m.value).toBe('x');
  });

  it('null.marker turns key, value and the whole headers field into null', () => {
    const props = { 'parse.key': 'true', 'parse.headers': 'true', 'null.marker': 'NULL' };
    expect(parse('NULL\tNULL\tNULL', props)).toEqual({ key: null, value: null });
    expect(parse('h:1\tk\tNULL', props)).toMatchObject({ key: 'k', value: null });
  });

  it('a header value equal to null.marker is null', () => {
    const m = parse('h:NULL\tv', { 'parse.headers': 'true', 'null.marker': 'NULL' });
    expect(m.headers).toEqual([{ key: 'h', value: null }]);
  });

  it("reports Kafka's errors for missing separators, with the 1-based line number", () => {
    expect(() => parse('novalue', { 'parse.key': 'true' })).toThrow(new LineError("No key separator found on line number 7: 'novalue'"));
    expect(() => parse('novalue', { 'parse.headers': 'true' })).toThrow(
      new LineError("No headers delimiter found on line number 7: 'novalue'"),
    );
    expect(() => parse('h1\tv', { 'parse.headers': 'true' })).toThrow(
      new LineError("No header key separator found in pair 'h1' on line number 7"),
    );
    expect(() => parse('N:v\tx', { 'parse.headers': 'true', 'null.marker': 'N' })).toThrow(
      new LineError("Header keys should not be equal to the null marker 'N' as they can't be null"),
    );
  });

  it('ignore.error: a missing key separator means no key; a pair without separator is a null header', () => {
    expect(parse('novalue', { 'parse.key': 'true', 'ignore.error': 'true' })).toEqual({ key: null, value: 'novalue' });
    const m = parse('flag\tv', { 'parse.headers': 'true', 'ignore.error': 'true' });
    expect(m.headers).toEqual([{ key: 'flag', value: null }]);
  });
});

describe('reader property validation (LineMessageReader.configure)', () => {
  const invalid = (props: Record<string, string>) => {
    try {
      reader(props);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return (err as Error).message;
    }
    throw new Error('expected an error');
  };

  it('rejects equal separators with Kafka messages', () => {
    expect(invalid({ 'headers.delimiter': ',' })).toBe('Error: headers.delimiter and headers.separator may not be equal');
    expect(invalid({ 'headers.key.separator': '\t' })).toBe('Error: headers.delimiter and headers.key.separator may not be equal');
    expect(invalid({ 'headers.separator': ':' })).toBe('Error: headers.separator and headers.key.separator may not be equal');
    expect(invalid({ 'null.marker': '\t', 'headers.delimiter': '|' })).toBe('Error: null.marker and key.separator may not be equal');
    expect(invalid({ 'null.marker': ',' })).toBe('Error: null.marker and headers.separator may not be equal');
    expect(invalid({ 'null.marker': '|', 'key.separator': ';', 'headers.delimiter': '|' })).toBe(
      'Error: null.marker and headers.delimiter may not be equal',
    );
    expect(invalid({ 'null.marker': ':' })).toBe('Error: null.marker and headers.key.separator may not be equal');
    expect(invalid({ 'headers.separator': '(' })).toContain('not a valid regular expression');
  });
});

describe('javaSplit (Pattern.split)', () => {
  it('drops trailing empty strings and keeps leading ones from a non-empty match', () => {
    expect(javaSplit(/,/, 'a,b,,')).toEqual(['a', 'b']);
    expect(javaSplit(/,/, ',a')).toEqual(['', 'a']);
    expect(javaSplit(/,/, 'abc')).toEqual(['abc']);
    expect(javaSplit(/,/, '')).toEqual(['']);
    expect(javaSplit(/(?=b)/, 'abab')).toEqual(['a', 'ba', 'b']);
  });
});

describe('LineSplitter (BufferedReader.readLine)', () => {
  const linesOf = (s: LineSplitter, chunk: Buffer): Buffer[] => {
    s.push(chunk);
    const out: Buffer[] = [];
    while (s.nextLine()) {
      expect(s.line()).toEqual(s.lineSource.subarray(s.lineStart, s.lineEnd));
      out.push(s.line());
    }
    return out;
  };
  const push = (s: LineSplitter, text: string) => linesOf(s, Buffer.from(text)).map(String);
  const end = (s: LineSplitter) => [s.end()].filter((l) => l !== undefined).map(String);

  it('splits on \\n, \\r and \\r\\n across chunk boundaries and keeps an unterminated last line', () => {
    const s = new LineSplitter();
    const lines = [...push(s, 'a\nb\r'), ...push(s, '\nc\rd'), ...push(s, 'e\n\n'), ...push(s, 'ta'), ...push(s, 'il'), ...end(s)];
    expect(lines).toEqual(['a', 'b', 'c', 'de', '', 'tail']);
  });

  it('produces no extra line after a final terminator', () => {
    const s = new LineSplitter();
    expect([...push(s, 'x\r\n'), ...end(s)]).toEqual(['x']);
  });

  it('tells whether the lines are valid UTF-8, also for a character split between chunks', () => {
    const s = new LineSplitter();
    const euro = Buffer.from('€\n');
    expect(linesOf(s, euro.subarray(0, 1))).toEqual([]);
    expect(linesOf(s, euro.subarray(1)).map(String)).toEqual(['€']);
    expect(s.utf8).toBe(true);
    expect(linesOf(s, Buffer.from([0x61, 0xff, 0x0a]))).toHaveLength(1);
    expect(s.utf8).toBe(false);
  });

  it('keeps a chunk-ending \\r waiting across an empty chunk for its \\n', () => {
    const s = new LineSplitter();
    const lines = [Buffer.from('a\r'), Buffer.alloc(0), Buffer.from('\nb\n')].flatMap((chunk) => linesOf(s, chunk).map(String));
    expect(lines).toEqual(['a', 'b']);
  });

  it('gives the same lines however the input is cut into chunks, when each chunk is overwritten once read', () => {
    const text = fc.array(fc.constantFrom('a', 'b', '\n', '\r', '€'), { maxLength: 40 }).map((cs) => Buffer.from(cs.join('')));
    fc.assert(
      fc.property(text, fc.array(fc.nat(40), { maxLength: 8 }), (input, cuts) => {
        const whole = input.toString('latin1').split(/\r\n|\r|\n/);
        if (whole.at(-1) === '') whole.pop();
        const s = new LineSplitter();
        const got: string[] = [];
        const bounds = [0, ...cuts.map((c) => Math.min(c, input.length)).sort((a, b) => a - b), input.length];
        for (let i = 1; i < bounds.length; i++) {
          // InputChunks may reuse a chunk's memory: lines must be taken before the next push.
          const chunk = Buffer.from(input.subarray(bounds[i - 1], bounds[i]));
          got.push(...linesOf(s, chunk).map((l) => l.toString('latin1')));
          chunk.fill(0x78);
        }
        got.push(...[s.end()].filter((l) => l !== undefined).map((l) => l.toString('latin1')));
        expect(got).toEqual(whole);
      }),
    );
  });
});
