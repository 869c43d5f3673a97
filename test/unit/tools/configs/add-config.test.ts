import { describe, expect, it } from 'vitest';
import { parseConfigsToAdd, parseConfigsToDelete } from '../../../../src/tools/configs/add-config.js';
import { validateConfigsFlags } from '../../../../src/tools/configs/configs-options.js';

describe('--add-config, as Kafka’s ConfigCommand splits it', () => {
  it('groups commas in brackets, trims, allows empty values', () => {
    expect([...parseConfigsToAdd('k1=v1, k2 = [a,b,c] ,k3=,ssl.endpoint.identification.algorithm=', undefined)]).toEqual([
      ['k1', 'v1'],
      ['k2', 'a,b,c'],
      ['k3', ''],
      ['ssl.endpoint.identification.algorithm', ''],
    ]);
    expect(parseConfigsToDelete(['a,b', ' c '])).toEqual(['a', 'b', 'c']);
  });

  it('ignores trailing commas as Java’s split does, but not an empty entry between two', () => {
    expect([...parseConfigsToAdd('retention.ms=1000,,', undefined)]).toEqual([['retention.ms', '1000']]);
    expect(() => parseConfigsToAdd('a=1,,b=2', undefined)).toThrow('Invalid entity config');
  });

  it('refuses entries that are not key=value and keys with other characters', () => {
    expect(() => parseConfigsToAdd('a=b=c', undefined)).toThrow(
      'Invalid entity config: all configs to be added must be in the format "key=val".',
    );
    expect(() => parseConfigsToAdd('novalue', undefined)).toThrow('Invalid entity config');
    expect(() => parseConfigsToAdd('bad key=1', undefined)).toThrow('Invalid character found for config key: bad key');
  });
});

describe('kafka-configs flag checks', () => {
  it('resolve shorthand and generic entity flags to types and names', () => {
    expect(validateConfigsFlags({ describe: true, topic: 't' })).toMatchObject({ entityTypes: ['topics'], entityNames: ['t'] });
    expect(validateConfigsFlags({ alter: true, brokerDefaults: true, deleteConfig: ['x'] })).toMatchObject({
      entityTypes: ['brokers'],
      entityNames: [''],
    });
    expect(validateConfigsFlags({ describe: true, entityType: ['brokers'], entityDefault: true })).toMatchObject({ entityNames: [''] });
  });

  it('refuse what Kafka refuses, in its words', () => {
    const refusal = (flags: Parameters<typeof validateConfigsFlags>[0]) => {
      try {
        validateConfigsFlags(flags);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refusal({ topic: 't' })).toBe('Command must include exactly one action: --describe, --alter');
    expect(refusal({ describe: true, topic: 't', addConfig: 'a=1' })).toBe('Option "[describe]" can\'t be used with option "[add-config]"');
    expect(refusal({ describe: true })).toBe('At least one entity type must be specified');
    expect(refusal({ describe: true, entityType: ['topics', 'brokers'] })).toBe(
      "Only 'users' and 'clients' entity types may be specified together",
    );
    expect(refusal({ describe: true, entityType: ['topics'], topic: 't' })).toBe('Duplicate entity type(s) specified: topics');
    expect(refusal({ describe: true, entityType: ['brokers'], topic: 't' })).toBe(
      "Only 'users' and 'clients' entity types may be specified together",
    );
    expect(refusal({ describe: true, entityName: ['t'], topic: 't' })).toBe(
      '--entity-{type,name,default} should not be used in conjunction with specific entity flags',
    );
    expect(refusal({ describe: true, broker: 'zero' })).toBe(
      'The entity name for brokers must be a valid integer broker id, but it is: zero',
    );
    expect(refusal({ alter: true, entityType: ['topics'], addConfig: 'a=1' })).toBe(
      'an entity name must be specified with --alter of topics',
    );
    expect(refusal({ alter: true, topic: 't' })).toBe(
      'At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter',
    );
    expect(refusal({ alter: true, topic: 't', addConfig: 'a=1', addConfigFile: 'f' })).toBe(
      'Only one of --add-config or --add-config-file must be specified',
    );
    expect(refusal({ describe: true, entityType: ['groups'] })).toBe(
      'Invalid entity type groups, the entity type must be one of topics, clients, users, brokers, ips, broker-loggers, client-metrics with a --bootstrap-server or --bootstrap-controller argument',
    );
    expect(refusal({ describe: true, entityType: ['ips'], entityName: ['not a host'] })).toBe(
      'The entity name for ips must be a valid IP or resolvable host, but it is: not a host',
    );
  });
});
