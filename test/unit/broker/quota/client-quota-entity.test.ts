import { describe, expect, it } from 'vitest';
import { entityOfPath, entityPath, entityText, type ClientQuotaEntity } from '../../../../src/broker/quota/client-quota-entity.js';

describe('client quota entity paths', () => {
  it('round-trip every shape, defaults and awkward names included', () => {
    const entities: ClientQuotaEntity[] = [
      { user: 'alice' },
      { user: null },
      { clientId: 'c1' },
      { clientId: null },
      { user: 'alice', clientId: 'c1' },
      { user: null, clientId: null },
      { user: '<default>' },
      { user: 'CN=a/b,O=x', clientId: '50%' },
    ];
    const paths = entities.map(entityPath);
    expect(paths.slice(0, 7)).toEqual([
      'users/alice',
      'users/<default>',
      'clients/c1',
      'clients/<default>',
      'users/alice/clients/c1',
      'users/<default>/clients/<default>',
      'users/%3Cdefault%3E',
    ]);
    expect(paths.map(entityOfPath)).toEqual(entities);
  });

  it('reads nothing from a path that names no entity', () => {
    expect(['topics/t', 'users', 'users/a/clients', 'clients/a/users/b', 'users/%E0', 'users/a/b'].map(entityOfPath)).toEqual(
      Array(6).fill(undefined),
    );
  });

  it('prints as Java’s ClientQuotaEntity', () => {
    expect(entityText({ user: 'alice', clientId: null })).toBe('ClientQuotaEntity(entries={client-id=null, user=alice})');
  });
});
