import { describe, expect, it } from 'vitest';
import { LONG_MAX } from '../../../../src/broker/log/log-config.js';
import { BROKER_CONFIG_DEFS } from '../../../../src/broker/config/broker-config-defs.js';
import {
  boolean,
  type ConfigDef,
  double,
  formatConfigValue,
  int,
  list,
  long,
  parseConfigValue,
  short,
  string,
} from '../../../../src/broker/config/config-def.js';
import { ConfigError } from '../../../../src/broker/config/config-error.js';

const doc = 'test';

function refusal(def: ConfigDef, raw: string): string {
  try {
    parseConfigValue('k', def, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).kind).toBe('invalid-value');
    return (err as Error).message;
  }
  throw new Error(`${raw} was accepted`);
}

describe('parseConfigValue', () => {
  it('parses integers in their Java range, trimmed, with a sign', () => {
    expect(parseConfigValue('k', int({ default: 0, doc }), ' +42 ')).toBe(42);
    expect(parseConfigValue('k', int({ default: 0, doc }), '-2147483648')).toBe(-2147483648);
    expect(refusal(int({ default: 0, doc }), '2147483648')).toBe('Invalid value 2147483648 for configuration k: Not a number of type INT');
    expect(refusal(short({ default: 0, doc }), '32768')).toBe('Invalid value 32768 for configuration k: Not a number of type SHORT');
    expect(parseConfigValue('k', long({ default: 0, doc }), '9223372036854775807')).toBe(LONG_MAX);
    expect(refusal(long({ default: 0, doc }), '9223372036854775808')).toMatch(/Not a number of type LONG$/);
    for (const bad of ['abc', '1.5', '0x10', '', '1e3']) {
      expect(refusal(int({ default: 0, doc }), bad)).toBe(`Invalid value ${bad} for configuration k: Not a number of type INT`);
    }
  });

  it('applies ranges with Kafka’s wording', () => {
    const ranged = int({ default: 1, min: 1, max: 10, doc });
    expect(refusal(ranged, '0')).toBe('Invalid value 0 for configuration k: Value must be at least 1');
    expect(refusal(ranged, '11')).toBe('Invalid value 11 for configuration k: Value must be no more than 10');
    expect(parseConfigValue('k', double({ default: 0.5, min: 0, max: 1, doc }), '.25')).toBe(0.25);
    expect(refusal(double({ default: 0, doc }), 'x')).toMatch(/Not a number of type DOUBLE$/);
  });

  it('parses booleans case-insensitively and strings against their choices', () => {
    expect(parseConfigValue('k', boolean({ default: false, doc }), 'TRUE')).toBe(true);
    expect(refusal(boolean({ default: false, doc }), 'yes')).toBe(
      'Invalid value yes for configuration k: Expected value to be either true or false',
    );
    const choice = string({ default: 'a', oneOf: ['a', 'b'], doc });
    expect(parseConfigValue('k', choice, ' b ')).toBe('b');
    expect(refusal(choice, 'c')).toBe('Invalid value c for configuration k: String must be one of: a, b');
  });

  it('splits lists on commas with surrounding whitespace and checks each item', () => {
    const policies = list({ default: ['delete'], oneOf: ['compact', 'delete'], doc });
    expect(parseConfigValue('k', policies, 'compact , delete')).toEqual(['compact', 'delete']);
    expect(parseConfigValue('k', policies, '  ')).toEqual([]);
    expect(refusal(policies, 'compact,purge')).toBe(
      'Invalid value compact,purge for configuration k: String must be one of: compact, delete',
    );
  });
});

describe('formatConfigValue', () => {
  it('renders values as Kafka’s ConfigDef.convertToString does', () => {
    expect(formatConfigValue('LONG', LONG_MAX)).toBe('9223372036854775807');
    expect(formatConfigValue('DOUBLE', 1)).toBe('1.0');
    expect(formatConfigValue('DOUBLE', 0.5)).toBe('0.5');
    expect(formatConfigValue('LIST', ['compact', 'delete'])).toBe('compact,delete');
    expect(formatConfigValue('BOOLEAN', false)).toBe('false');
    expect(formatConfigValue('INT', null)).toBeNull();
  });
});

describe('the broker config table', () => {
  it('has defaults its own parsers accept and render back unchanged', () => {
    for (const [name, def] of Object.entries(BROKER_CONFIG_DEFS) as [string, ConfigDef][]) {
      const text = formatConfigValue(def.type, def.default);
      if (text === null) continue;
      expect(parseConfigValue(name, def, text), name).toEqual(def.default);
      expect(def.doc.length, name).toBeGreaterThan(0);
    }
  });
});
