import { LONG_MAX } from '../log/log-config.js';
import { invalidValue } from './config-error.js';

/** Kafka's ConfigDef.Type as DescribeConfigs v3+ encodes it (`ConfigType`). */
export const CONFIG_TYPE_CODE = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;

export type ConfigType = Exclude<keyof typeof CONFIG_TYPE_CODE, 'UNKNOWN'>;

/** A parsed value. LONGs are doubles: exact to 2^53, and Long.MAX_VALUE reads as `LONG_MAX`. */
export type ConfigValue = number | boolean | string | readonly string[];

/**
 * One configuration key: its type, default (`null`: none, the key is simply unset) and the parser
 * that validates a value as Kafka's ConfigDef does.
 */
export interface ConfigDef<V extends ConfigValue | null = ConfigValue | null> {
  readonly type: ConfigType;
  readonly default: V;
  /** One line for DescribeConfigs' documentation field. */
  readonly doc: string;
  /** AlterConfigs may change it on a running broker; otherwise it is read-only. */
  readonly dynamic: boolean;
  /** Parses trimmed text; a refusal throws `Refusal` with Kafka's reason. */
  readonly parse: (text: string) => NonNullable<V>;
}

/** DescribeConfigs hides the values of passwords (and of keys the broker does not know). */
export function isSensitiveType(type: ConfigType): boolean {
  return type === 'PASSWORD';
}

class Refusal {
  constructor(readonly reason: string) {}
}

/** `raw` parsed for `name`; a bad value is an invalid-value ConfigError in Kafka's wording. */
export function parseConfigValue<V extends ConfigValue | null>(name: string, def: ConfigDef<V>, raw: string): NonNullable<V> {
  try {
    return def.parse(raw.trim());
  } catch (err) {
    // Kafka's ConfigException prints a password as [hidden].
    if (err instanceof Refusal) throw invalidValue(name, isSensitiveType(def.type) ? '[hidden]' : raw, err.reason);
    throw err;
  }
}

/** ConfigDef.convertToString: how DescribeConfigs shows a value. */
export function formatConfigValue(type: ConfigType, value: ConfigValue | null): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value.join(',');
  if (typeof value !== 'number') return String(value);
  if (type === 'LONG' && value >= LONG_MAX) return '9223372036854775807';
  if (type === 'DOUBLE' && Number.isInteger(value)) return value.toFixed(1); // Java's Double.toString
  return String(value);
}

interface Spec<D> {
  default: D;
  doc: string;
  dynamic?: boolean;
}

interface RangeSpec<D> extends Spec<D> {
  min?: number;
  max?: number;
}

interface ChoiceSpec<D> extends Spec<D> {
  oneOf?: readonly string[];
}

function define<V extends ConfigValue | null>(type: ConfigType, spec: Spec<V>, parse: (text: string) => NonNullable<V>): ConfigDef<V> {
  return { type, default: spec.default, doc: spec.doc, dynamic: spec.dynamic ?? false, parse };
}

const INTEGER_LIMIT = { SHORT: 2n ** 15n, INT: 2n ** 31n, LONG: 2n ** 63n } as const;

function integer(type: keyof typeof INTEGER_LIMIT) {
  return <D extends number | null>(spec: RangeSpec<D>): ConfigDef<number | D> =>
    define<number | D>(type, spec, (text) => {
      const limit = INTEGER_LIMIT[type];
      const big = /^[+-]?\d+$/.test(text) ? BigInt(text) : undefined;
      if (big === undefined || big < -limit || big >= limit) throw new Refusal(`Not a number of type ${type}`);
      return inRange(spec, Number(big));
    });
}

export const short = integer('SHORT');
export const int = integer('INT');
export const long = integer('LONG');

export function double<D extends number | null>(spec: RangeSpec<D>): ConfigDef<number | D> {
  return define<number | D>('DOUBLE', spec, (text) => {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Refusal('Not a number of type DOUBLE');
    return inRange(spec, Number(text));
  });
}

export function boolean(spec: Spec<boolean>): ConfigDef<boolean> {
  return define('BOOLEAN', spec, (text) => {
    const lower = text.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw new Refusal('Expected value to be either true or false');
    return lower === 'true';
  });
}

export function string<D extends string | null>(spec: ChoiceSpec<D>): ConfigDef<string | D> {
  return define<string | D>('STRING', spec, (text) => oneOf(spec, text));
}

/** A secret: never refused, never shown (DescribeConfigs answers null, errors print `[hidden]`). */
export function password(spec: Spec<null>): ConfigDef<string | null> {
  return define<string | null>('PASSWORD', spec, (text) => text);
}

/** Comma-separated, whitespace around commas ignored; empty text is the empty list. */
export function list<D extends readonly string[] | null>(spec: ChoiceSpec<D>): ConfigDef<readonly string[] | D> {
  return define<readonly string[] | D>('LIST', spec, (text) => (text === '' ? [] : text.split(/\s*,\s*/).map((item) => oneOf(spec, item))));
}

function inRange(spec: RangeSpec<unknown>, value: number): number {
  if (spec.min !== undefined && value < spec.min) throw new Refusal(`Value must be at least ${spec.min}`);
  if (spec.max !== undefined && value > spec.max) throw new Refusal(`Value must be no more than ${spec.max}`);
  return value;
}

function oneOf(spec: ChoiceSpec<unknown>, text: string): string {
  if (spec.oneOf && !spec.oneOf.includes(text)) throw new Refusal(`String must be one of: ${spec.oneOf.join(', ')}`);
  return text;
}
