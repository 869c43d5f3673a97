import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/util/errors.js';
import type { ConsumedRecord } from '../../../../src/tools/common/consumed-record.js';
import { defaultFormatter, defaultFormatterConfig } from '../../../../src/tools/console-consumer/default-formatter.js';
import { formatterClass } from '../../../../src/tools/console-consumer/formatter-class.js';
import { jsonFormatter } from '../../../../src/tools/console-consumer/json-format.js';
import { kcatFormatter } from '../../../../src/tools/console-consumer/kcat-format.js';
import { OutputChunks, type RecordFormatter } from '../../../../src/tools/console-consumer/output-chunks.js';

const record = (over: Partial<ConsumedRecord> = {}): ConsumedRecord => ({
  topic: 'orders',
  partition: 0,
  offset: '123',
  timestamp: '123',
  timestampType: 'CreateTime',
  key: Buffer.from('key'),
  value: Buffer.from('value'),
  headers: [],
  ...over,
});

function render(formatter: RecordFormatter, ...records: ConsumedRecord[]): Buffer {
  const out = new OutputChunks();
  for (const r of records) formatter(r, out);
  return out.take();
}

const kafka = (props: Record<string, string>) => defaultFormatter(defaultFormatterConfig(new Map(Object.entries(props))));
const text = (formatter: RecordFormatter, ...records: ConsumedRecord[]) => render(formatter, ...records).toString();

describe('DefaultMessageFormatter', () => {
  it('prints only the value by default, null as "null"', () => {
    expect(text(kafka({}), record(), record({ value: null }))).toBe('value\nnull\n');
  });

  it("matches Kafka's DefaultMessageFormatterTest examples", () => {
    expect(text(kafka({ 'print.partition': 'true', 'print.key': 'true' }), record())).toBe('Partition:0\tkey\tvalue\n');
    const all = {
      'print.timestamp': 'true',
      'print.partition': 'true',
      'print.offset': 'true',
      'print.headers': 'true',
      'print.key': 'true',
    };
    expect(text(kafka(all), record({ timestampType: 'NoTimestampType', timestamp: '-1' }))).toBe(
      'NO_TIMESTAMP\tPartition:0\tOffset:123\tNO_HEADERS\tkey\tvalue\n',
    );
    const headers = [
      { key: 'h1', value: Buffer.from('v1') },
      { key: 'h2', value: Buffer.from('v2') },
    ];
    expect(text(kafka(all), record({ headers }))).toBe('CreateTime:123\tPartition:0\tOffset:123\th1:v1,h2:v2\tkey\tvalue\n');
  });

  it('keeps the fixed field order whatever order the properties come in, ending with line.separator', () => {
    const f = kafka({ 'print.value': 'false', 'print.offset': 'true', 'print.timestamp': 'true', 'line.separator': '|' });
    expect(text(f, record({ timestampType: 'LogAppendTime', timestamp: '9' }))).toBe('LogAppendTime:9\tOffset:123|');
  });

  it('uses key.separator, headers.separator and null.literal, and null header values', () => {
    const f = kafka({
      'print.key': 'true',
      'print.headers': 'true',
      'key.separator': ' | ',
      'headers.separator': ';',
      'null.literal': '<nil>',
    });
    const headers = [
      { key: 'a', value: null },
      { key: 'b', value: Buffer.from('2') },
    ];
    expect(text(f, record({ key: null, headers }))).toBe('a:<nil>;b:2 | <nil> | value\n');
  });

  it('print.topic (KIP-829) puts Topic:<name> before every other field', () => {
    expect(text(kafka({ 'print.topic': 'true' }), record())).toBe('Topic:orders\tvalue\n');
    const all = { 'print.topic': 'true', 'print.timestamp': 'true', 'print.partition': 'true', 'print.key': 'true', 'key.separator': '|' };
    expect(text(kafka(all), record({ topic: 'a.b' }))).toBe('Topic:a.b|CreateTime:123|Partition:0|key|value\n');
    expect(text(kafka({ 'print.topic': 'false' }), record())).toBe('value\n');
  });

  it('prints nothing at all when every field is off', () => {
    expect(render(kafka({ 'print.value': 'false' }), record()).length).toBe(0);
  });

  it('writes record bytes unchanged, even when they are not UTF-8', () => {
    const value = Buffer.from([0xff, 0x00, 0xc3]);
    expect(render(kafka({}), record({ value }))).toEqual(Buffer.concat([value, Buffer.from('\n')]));
  });
});

describe('kcat --format tokens', () => {
  const headers = [
    { key: 'h1', value: Buffer.from('v1') },
    { key: 'n', value: null },
  ];

  it('renders every token', () => {
    const f = kcatFormatter('%t|%p|%o|%k|%s|%K|%S|%T|%h|%%\\n');
    expect(text(f, record({ headers }))).toBe('orders|0|123|key|value|3|5|123|h1=v1,n=NULL|%\n');
    expect(text(f, record({ key: null, value: null, timestampType: 'NoTimestampType', timestamp: '-1' }))).toBe(
      'orders|0|123|||-1|-1|-1||%\n',
    );
  });

  it('%R writes the value length as a big-endian int32', () => {
    expect(render(kcatFormatter('%R%s'), record())).toEqual(Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from('value')]));
    expect(render(kcatFormatter('%R'), record({ value: null }))).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  });

  it("decodes kcat's escapes, including raw bytes", () => {
    // \101 is decimal 101 ('e'); \0101 is octal 101 ('A'); other escaped characters stand for themselves.
    expect(render(kcatFormatter('\\t\\r\\x41\\101\\0101\\q\\\\'), record())).toEqual(
      Buffer.from([0x09, 0x0d, 0x41, 0x65, 0x41, 0x71, 0x5c]),
    );
    expect(render(kcatFormatter('\\xff'), record())).toEqual(Buffer.from([0xff]));
    expect(text(kcatFormatter('→ %s'), record())).toBe('→ value');
  });

  it('rejects unknown and dangling formatters as usage errors', () => {
    expect(() => kcatFormatter('%x')).toThrow(new UsageError('Error: --format: Unsupported formatter: %x'));
    expect(() => kcatFormatter('abc%')).toThrow(new UsageError('Error: --format: Empty formatter'));
  });
});

describe('--output json', () => {
  it('writes one object per line', () => {
    const out = text(jsonFormatter, record(), record({ offset: '124' }));
    const lines = out.split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1]!)).toMatchObject({ topic: 'orders', offset: 124, key: 'key', value: 'value' });
  });
});

describe('DefaultMessageFormatter with deserializers (--key-deserializer, --value-deserializer, headers.deserializer)', () => {
  const serde = (name: string) => `org.apache.kafka.common.serialization.${name}Deserializer`;
  const int = (n: number) => Buffer.from([0, 0, 0, n]);
  const withValue = (name: string, value: Buffer) => text(kafka({ 'value.deserializer': serde(name) }), record({ value }));

  it('prints what toString() of the deserialized value gives', () => {
    expect(withValue('Integer', Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toBe('-2\n');
    expect(withValue('Long', Buffer.from([0, 0, 0, 0, 0, 0, 1, 0]))).toBe('256\n');
    expect(withValue('Short', Buffer.from([0x80, 0]))).toBe('-32768\n');
    const float = Buffer.alloc(4);
    float.writeFloatBE(0.1);
    expect(withValue('Float', float)).toBe('0.1\n');
    const double = Buffer.alloc(8);
    double.writeDoubleBE(1e10);
    expect(withValue('Double', double)).toBe('1.0E10\n');
    expect(withValue('UUID', Buffer.from('5D0B8C1E-6A4B-4C3D-9E2F-1A2B3C4D5E6F'))).toBe('5d0b8c1e-6a4b-4c3d-9e2f-1a2b3c4d5e6f\n');
    expect(withValue('String', Buffer.from('héllo'))).toBe('héllo\n');
    expect(render(kafka({ 'value.deserializer': serde('ByteArray') }), record({ value: Buffer.from([0xff, 0]) }))).toEqual(
      Buffer.from([0xff, 0, 0x0a]),
    );
  });

  it('a null stays the null literal; keys and header values have their own deserializers', () => {
    const formatter = kafka({
      'print.key': 'true',
      'print.headers': 'true',
      'key.deserializer': serde('Integer'),
      'headers.deserializer': serde('Integer'),
      'value.deserializer': serde('Void'),
    });
    expect(text(formatter, record({ key: int(7), value: null, headers: [{ key: 'h', value: int(9) }] }))).toBe('h:9\t7\tnull\n');
  });

  it("fails on bytes the deserializer cannot read, with Kafka's SerializationException message", () => {
    expect(() => withValue('Integer', Buffer.from([1, 2]))).toThrow('Size of data received by IntegerDeserializer is not 4');
    expect(() => withValue('Double', Buffer.from([1]))).toThrow('Size of data received by Deserializer is not 8');
    expect(() => withValue('UUID', Buffer.from('nope'))).toThrow('Error parsing data into UUID');
    expect(() => withValue('Void', Buffer.from('x'))).toThrow('Data should be null for a VoidDeserializer.');
  });

  it('an unknown deserializer class is a usage error naming the ones kts has', () => {
    expect(() => kafka({ 'value.deserializer': 'com.example.AvroDeserializer' })).toThrow(UsageError);
    expect(() => kafka({ 'value.deserializer': 'com.example.AvroDeserializer' })).toThrow(/IntegerDeserializer/);
  });
});

describe('--formatter classes', () => {
  it("takes Kafka's class names, and the pre-3.8 ones with Kafka's WARNING", () => {
    expect(formatterClass('org.apache.kafka.tools.consumer.DefaultMessageFormatter')).toEqual({ kind: 'default' });
    expect(formatterClass('org.apache.kafka.tools.consumer.LoggingMessageFormatter')).toEqual({ kind: 'default' });
    expect(formatterClass('org.apache.kafka.tools.consumer.NoOpMessageFormatter')).toEqual({ kind: 'no-op' });
    expect(formatterClass('kafka.tools.NoOpMessageFormatter')).toEqual({
      kind: 'no-op',
      warning:
        'WARNING: kafka.tools.NoOpMessageFormatter is deprecated and will be removed in the next major release. Please use org.apache.kafka.tools.consumer.NoOpMessageFormatter instead',
    });
  });

  it("takes the coordinators' record formatters, and refuses others in one line", () => {
    expect(formatterClass('org.apache.kafka.tools.consumer.OffsetsMessageFormatter')).toEqual({ kind: 'offsets' });
    expect(formatterClass('kafka.coordinator.transaction.TransactionLog$TransactionLogMessageFormatter')).toMatchObject({
      kind: 'transaction-log',
    });
    expect(() => formatterClass('com.example.Fancy')).toThrow(UsageError);
    expect(() => formatterClass('com.example.Fancy')).toThrow(
      /^Error: --formatter 'com.example.Fancy' is not supported: kts has no such formatter/,
    );
  });
});
