import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsumedRecord } from '../../../../src/tools/common/consumed-record.js';
import { JsonRecordError, parseJsonRecord, recordToJson } from '../../../../src/tools/common/record-json.js';

const record = (over: Partial<ConsumedRecord> = {}): ConsumedRecord => ({
  topic: 't',
  partition: 2,
  offset: '41',
  timestamp: '1700000000000',
  timestampType: 'CreateTime',
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  headers: [],
  ...over,
});

describe('JSON lines envelope', () => {
  it('writes the fields in a fixed order, text as strings and null as null', () => {
    const line = recordToJson(
      record({
        key: null,
        headers: [
          { key: 'h', value: Buffer.from('x') },
          { key: 'h', value: null },
        ],
      }),
    );
    expect(line).toBe(
      '{"topic":"t","partition":2,"offset":41,"timestamp":1700000000000,"timestampType":"CreateTime",' +
        '"key":null,"value":"v","headers":[{"key":"h","value":"x"},{"key":"h","value":null}]}',
    );
  });

  it('writes bytes that are not UTF-8 as base64 with an encoding marker', () => {
    const line = recordToJson(record({ value: Buffer.from([0xff, 0x00, 0xfe]), headers: [{ key: 'b', value: Buffer.from([0x80]) }] }));
    const doc = JSON.parse(line);
    expect(doc.value).toBe('/wD+');
    expect(doc.valueEncoding).toBe('base64');
    expect(doc.headers).toEqual([{ key: 'b', value: 'gA==', valueEncoding: 'base64' }]);
    expect(doc.keyEncoding).toBeUndefined();
  });

  it('round-trips any key, value and headers losslessly (null, empty, binary, unicode)', () => {
    const bytes = fc.option(
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
      { nil: null },
    );
    const text = fc.option(
      fc.string().map((s) => Buffer.from(s)),
      { nil: null },
    );
    const payload = fc.oneof(bytes, text);
    fc.assert(
      fc.property(payload, payload, fc.array(fc.record({ key: fc.string(), value: payload }), { maxLength: 4 }), (key, value, headers) => {
        const parsed = parseJsonRecord(recordToJson(record({ key, value, headers })));
        expect(parsed.key).toEqual(key);
        expect(parsed.value).toEqual(value);
        expect(parsed.headers).toEqual(headers);
        expect(parsed.partition).toBe(2);
        expect(parsed.timestamp).toBe('1700000000000');
      }),
    );
  });

  it('accepts hand-written records: missing fields are null, headers may be an object map', () => {
    expect(parseJsonRecord('{"value":"x","headers":{"a":"1","b":null}}')).toEqual({
      key: null,
      value: Buffer.from('x'),
      headers: [
        { key: 'a', value: Buffer.from('1') },
        { key: 'b', value: null },
      ],
    });
    // -1 means "no timestamp": the producer stamps the record.
    expect(parseJsonRecord('{"value":"x","timestamp":-1}').timestamp).toBeUndefined();
  });

  it('rejects malformed records with a reason', () => {
    const reason = (line: string) => {
      try {
        parseJsonRecord(line);
      } catch (err) {
        expect(err).toBeInstanceOf(JsonRecordError);
        return (err as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(reason('not json')).toMatch(/^not JSON/);
    expect(reason('[1]')).toBe('expected a JSON object');
    expect(reason('{"value":5}')).toBe('"value" must be a string or null');
    expect(reason('{"value":"%%","valueEncoding":"base64"}')).toBe('"value" is not valid base64');
    expect(reason('{"value":"x","valueEncoding":"hex"}')).toBe('"valueEncoding" must be "base64" or "utf8"');
    expect(reason('{"partition":-1}')).toBe('"partition" must be a non-negative integer');
    expect(reason('{"timestamp":"soon"}')).toBe('"timestamp" must be an integer (milliseconds)');
    expect(reason('{"headers":[{"value":"x"}]}')).toBe('headers[0] needs a string "key"');
    expect(reason('{"headers":5}')).toBe('"headers" must be an array or an object');
  });
});
