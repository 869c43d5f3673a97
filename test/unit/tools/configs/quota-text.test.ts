import { describe, expect, it } from 'vitest';
import { validateConfigsFlags } from '../../../../src/tools/configs/configs-options.js';
import { javaDoubleText, parseJavaDouble } from '../../../../src/tools/common/java-double-text.js';
import { quotaChanges } from '../../../../src/tools/configs/quota-changes.js';
import { quotaLines } from '../../../../src/tools/configs/quota-text.js';

describe('quota values as Java prints and reads doubles', () => {
  it('prints Double.toString', () => {
    const cases: [number, string][] = [
      [1024, '1024.0'],
      [50.5, '50.5'],
      [0.001, '0.001'],
      [0.0001, '1.0E-4'],
      [9_999_999, '9999999.0'],
      [10_000_000, '1.0E7'],
      [10_485_760, '1.048576E7'],
      [2e20, '2.0E20'],
      [1.5e-7, '1.5E-7'],
      [0, '0.0'],
      [-2, '-2.0'],
      [Infinity, 'Infinity'],
      [NaN, 'NaN'],
    ];
    expect(cases.map(([v]) => javaDoubleText(v))).toEqual(cases.map(([, text]) => text));
  });

  it('reads what Double.parseDouble reads, nothing else', () => {
    expect(['1024', ' 1e3 ', '.5', '5.', '+7', '-1', '2d', '2.5F', 'NaN', '-Infinity'].map(parseJavaDouble)).toEqual([
      1024,
      1000,
      0.5,
      5,
      7,
      -1,
      2,
      2.5,
      NaN,
      -Infinity,
    ]);
    expect(['', 'fast', '1,5', '0x10', '1e', 'NaNd', 'e5', '1 2'].map(parseJavaDouble)).toEqual(Array(8).fill(undefined));
  });
});

describe('Quota configs lines', () => {
  const entry = (entity: [string, string | null][], values: [string, number][]) => ({
    entity: entity.map(([entityType, entityName]) => ({ entityType, entityName })),
    values: values.map(([key, value]) => ({ key, value })),
  });

  it('orders keys as the Java admin client’s HashMap does (Kafka’s documented output)', () => {
    // The broker lists request_percentage before producer_byte_rate; both land in one bucket of a 3-key map.
    const line = quotaLines([
      entry(
        [['user', null]],
        [
          ['request_percentage', 200],
          ['producer_byte_rate', 1024],
          ['consumer_byte_rate', 2048],
        ],
      ),
    ]);
    expect(line).toEqual([
      'Quota configs for the default user-principal are consumer_byte_rate=2048.0, request_percentage=200.0, producer_byte_rate=1024.0',
    ]);
    const four = entry(
      [['client-id', 'c']],
      [
        ['request_percentage', 1],
        ['producer_byte_rate', 2],
        ['consumer_byte_rate', 3],
        ['controller_mutation_rate', 4],
      ],
    );
    expect(quotaLines([four])).toEqual([
      "Quota configs for client-id 'c' are producer_byte_rate=2.0, consumer_byte_rate=3.0, controller_mutation_rate=4.0, request_percentage=1.0",
    ]);
  });

  it('names the user before the client id, whatever order the broker gave', () => {
    expect(
      quotaLines([
        entry(
          [
            ['client-id', null],
            ['user', 'alice'],
          ],
          [['producer_byte_rate', 1]],
        ),
      ]),
    ).toEqual(["Quota configs for user-principal 'alice', the default client-id are producer_byte_rate=1.0"]);
  });
});

describe('quota changes and entity flags', () => {
  it('pairs names with types in command-line order, the CLI marking --entity-default in place', () => {
    expect(
      validateConfigsFlags({ describe: true, entityType: ['users', 'clients'], entityName: ['', 'c2'], entityDefault: true }),
    ).toMatchObject({
      entityTypes: ['users', 'clients'],
      entityNames: ['', 'c2'],
    });
    expect(validateConfigsFlags({ describe: true, user: 'alice', clientDefaults: true })).toMatchObject({
      entityTypes: ['users', 'clients'],
      entityNames: ['alice', ''],
    });
    expect(() => validateConfigsFlags({ describe: true, entityType: ['clients'], entityName: ['a', 'b'] })).toThrow(
      'More entity names specified than entity types',
    );
  });

  it('reads values as doubles and lists bad keys as Kafka’s Scala collections print', () => {
    const changes = quotaChanges(['users'], { add: new Map([['producer_byte_rate', '1e3']]), delete: ['request_percentage'] });
    expect(changes).toEqual({
      set: new Map([['producer_byte_rate', 1000]]),
      delete: ['request_percentage'],
      scram: { upsert: new Map(), delete: [] },
    });
    expect(() =>
      quotaChanges(['clients'], {
        add: new Map([
          ['a', '1'],
          ['SCRAM-SHA-512', 'x'],
          ['b', '2'],
        ]),
        delete: [],
      }),
    ).toThrow("Only quota configs can be added for 'clients' using --bootstrap-server. Unexpected config names: Set(a, b, SCRAM-SHA-512)");
    expect(() => quotaChanges(['users', 'clients'], { add: new Map(), delete: ['SCRAM-SHA-256'] })).toThrow(
      "Only quota configs can be deleted for 'clients' using --bootstrap-server. Unexpected config names: ArrayBuffer(SCRAM-SHA-256)",
    );
    expect(() => quotaChanges(['users'], { add: new Map(), delete: ['SCRAM-SHA-512'] }, [''])).toThrow(
      'SCRAM credentials can only be altered for a named user, not the default user',
    );
    expect(
      quotaChanges(['users'], { add: new Map([['SCRAM-SHA-256', 'password=x']]), delete: ['SCRAM-SHA-512'] }, ['alice']).scram,
    ).toEqual({
      upsert: new Map([['SCRAM-SHA-256', 'password=x']]),
      delete: ['SCRAM-SHA-512'],
    });
  });
});
