import { describe, expect, it } from 'vitest';
import { InputError, recordParser, valueLines } from '../../../../src/tools/console-producer/record-input.js';
import { readerConfig } from '../../../../src/tools/console-producer/reader-properties.js';

const reader = readerConfig(new Map([['parse.key', 'true']]));
const line = (text: string) => Buffer.from(text);

describe('record parsers', () => {
  it('line format: Kafka grammar, --partition pins every record', () => {
    expect(recordParser('line', reader, undefined, 't')(line('k\tv'), 1, true)).toEqual({ topic: 't', key: 'k', value: 'v' });
    expect(recordParser('line', reader, 3, 't')(line('k\tv'), 1, true)).toEqual({ topic: 't', key: 'k', value: 'v', partition: 3 });
    expect(() => recordParser('line', reader, undefined, 't')(line('x'), 4, true)).toThrow(
      new InputError("No key separator found on line number 4: 'x'"),
    );
  });

  it('line format without key or headers: the line bytes are the value, invalid UTF-8 decoded as Kafka would', () => {
    const plain = recordParser('line', readerConfig(new Map([['null.marker', 'N']])), undefined, 't');
    const bytes = line('v€');
    expect(plain(bytes, 1, true).value).toBe(bytes);
    expect(plain(line('N'), 1, true)).toEqual({ topic: 't', value: null });
    expect(plain(Buffer.from([0x61, 0xff]), 1, false).value).toEqual(Buffer.from('a\ufffd'));
  });

  it('value lines: only the line format without key or headers; the null marker found within a larger buffer', () => {
    expect(valueLines('line', reader)).toBeUndefined();
    expect(valueLines('line', readerConfig(new Map([['parse.headers', 'true']])))).toBeUndefined();
    expect(valueLines('json', readerConfig(new Map()))).toBeUndefined();
    expect(valueLines('line', readerConfig(new Map()))!.isNull(line('null'), 0, 4)).toBe(false);
    const marked = valueLines('line', readerConfig(new Map([['null.marker', 'NUL']])))!;
    const chunk = line('NUL\nNULL\nxNUL\nNU\nNUL');
    expect(
      [
        [0, 3],
        [4, 8],
        [9, 13],
        [14, 16],
        [17, 20],
        [4, 7],
      ].map(([start, end]) => marked.isNull(chunk, start!, end!)),
    ).toEqual([true, false, false, false, true, true]);
  });

  it('json format: keeps the record partition and timestamp unless --partition pins it', () => {
    const json = '{"partition":1,"timestamp":5,"key":null,"value":"AAE=","valueEncoding":"base64","headers":[{"key":"h","value":"v"}]}';
    expect(recordParser('json', reader, undefined, 't')(Buffer.from(json), 1, true)).toEqual({
      topic: 't',
      key: null,
      value: Buffer.from([0, 1]),
      headers: [{ key: 'h', value: Buffer.from('v') }],
      partition: 1,
      timestamp: 5,
    });
    expect(recordParser('json', reader, 0, 't')(Buffer.from(json), 1, true).partition).toBe(0);
    expect(() => recordParser('json', reader, undefined, 't')(line('{'), 9, true)).toThrow(
      /^invalid JSON record on line number 9: not JSON/,
    );
  });
});
