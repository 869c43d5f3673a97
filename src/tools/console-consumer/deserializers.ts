import { UsageError } from '../../util/errors.js';
import { javaDoubleText, javaFloatText } from '../common/java-double-text.js';

/**
 * A Kafka Deserializer as DefaultMessageFormatter uses one: the record's bytes become an object
 * whose toString() is printed (UTF-8; bytes pass unchanged); null prints as `null.literal`.
 * Throws Kafka's SerializationException message for bytes it cannot read.
 */
export type Deserializer = (bytes: Buffer) => Buffer | string | null;

const PACKAGE = 'org.apache.kafka.common.serialization.';

function sized(size: number, name: string, read: (bytes: Buffer) => string): Deserializer {
  return (bytes) => {
    if (bytes.length !== size) throw new Error(`Size of data received by ${name} is not ${size}`);
    return read(bytes);
  };
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DESERIALIZERS: ReadonlyMap<string, Deserializer> = new Map([
  ['StringDeserializer', (bytes: Buffer) => bytes.toString('utf8')],
  // Java would print byte[].toString() (`[B@1b6d3586`); kts prints the bytes, as without a deserializer.
  ['ByteArrayDeserializer', (bytes: Buffer) => bytes],
  ['BytesDeserializer', (bytes: Buffer) => bytes],
  ['IntegerDeserializer', sized(4, 'IntegerDeserializer', (b) => String(b.readInt32BE()))],
  ['LongDeserializer', sized(8, 'LongDeserializer', (b) => String(b.readBigInt64BE()))],
  ['ShortDeserializer', sized(2, 'ShortDeserializer', (b) => String(b.readInt16BE()))],
  ['FloatDeserializer', sized(4, 'Deserializer', (b) => javaFloatText(b.readFloatBE()))],
  ['DoubleDeserializer', sized(8, 'Deserializer', (b) => javaDoubleText(b.readDoubleBE()))],
  [
    'UUIDDeserializer',
    (bytes: Buffer) => {
      const text = bytes.toString('utf8');
      if (!UUID_TEXT.test(text)) throw new Error('Error parsing data into UUID');
      return text.toLowerCase();
    },
  ],
  [
    'VoidDeserializer',
    () => {
      throw new Error('Data should be null for a VoidDeserializer.');
    },
  ],
]);

/** The Java class names of the deserializers kts has. */
export const DESERIALIZER_CLASSES: readonly string[] = [...DESERIALIZERS.keys()].map((name) => `${PACKAGE}${name}`);

/** The deserializer named by its Java class (`org.apache.kafka.common.serialization.IntegerDeserializer`). */
export function deserializerFor(className: string, option: string): Deserializer {
  const name = className.trim();
  const found = name.startsWith(PACKAGE) ? DESERIALIZERS.get(name.slice(PACKAGE.length)) : undefined;
  if (found === undefined) {
    throw new UsageError(
      `Error: ${option} '${name}' is not supported: kts has Kafka's ${[...DESERIALIZERS.keys()].join(', ')} (in ${PACKAGE.slice(0, -1)})`,
    );
  }
  return found;
}
