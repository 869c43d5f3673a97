import { describe, expect, it } from 'vitest';
import { InputError, messageBytes, recordParser } from '../../../../src/tools/console-producer/record-input.js';
import { readerConfig } from '../../../../src/tools/console-producer/reader-properties.js';

const reader = readerConfig(new Map([['parse.key', 'true']]));
const ignore = (): void => {};

describe('record parsers', () => {
  it('line format: Kafka grammar, --partition pins every record', () => {
    expect(recordParser('line', reader, undefined, ignore)('k\tv', 1)).toEqual({ key: 'k', value: 'v' });
    expect(recordParser('line', reader, 3, ignore)('k\tv', 1)).toEqual({ key: 'k', value: 'v', partition: 3 });
    expect(() => recordParser('line', reader, undefined, ignore)('x', 4)).toThrow(new InputError("No key separator found on line number 4: 'x'"));
  });

  it('json format: keeps the record partition and timestamp unless --partition pins it', () => {
    const line = '{"partition":1,"timestamp":5,"key":null,"value":"AAE=","valueEncoding":"base64","headers":[{"key":"h","value":"v"}]}';
    expect(recordParser('json', reader, undefined, ignore)(line, 1)).toEqual({
      key: null,
      value: Buffer.from([0, 1]),
      headers: { h: Buffer.from('v') },
      partition: 1,
      timestamp: '5',
    });
    expect(recordParser('json', reader, 0, ignore)(line, 1).partition).toBe(0);
    expect(() => recordParser('json', reader, undefined, ignore)('{', 9)).toThrow(/^invalid JSON record on line number 9: not JSON/);
  });

  it('estimates record size from payload and headers', () => {
    expect(messageBytes({ key: 'ab', value: Buffer.alloc(10) })).toBe(16 + 2 + 10);
    expect(messageBytes({ value: null, headers: { h: [Buffer.alloc(3), Buffer.alloc(1)] } })).toBe(16 + (1 + 3 + 4) + (1 + 1 + 4));
  });
});
