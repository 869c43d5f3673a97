import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { LOCAL_METADATA_FILE } from '../../../src/broker/metadata/local-metadata-store.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';

const [EXACT, DEFAULT, SPECIFIED] = [0, 1, 2];

type Entity = Record<string, string | null>;
type Op = { key: string; value?: number; remove?: boolean };
type Component = { entityType: string; matchType: number; match: string | null };

const exact = (entityType: string, match: string): Component => ({ entityType, matchType: EXACT, match });
const byDefault = (entityType: string): Component => ({ entityType, matchType: DEFAULT, match: null });
const specified = (entityType: string): Component => ({ entityType, matchType: SPECIFIED, match: null });

const components = (entity: Entity) => Object.entries(entity).map(([entityType, entityName]) => ({ entityType, entityName }));

describe('DescribeClientQuotas and AlterClientQuotas', () => {
  let logDir: string;
  let broker: StartedBroker | undefined;
  let conn: RawKafkaConnection;
  const warnings: string[] = [];

  async function start(): Promise<void> {
    broker = await startBroker({ logDir, log: (level, message) => level === 'warn' && warnings.push(message) });
    conn = await RawKafkaConnection.open(broker.host, broker.port, { clientId: 'quota-test', negotiateVersions: true });
  }

  async function stop(): Promise<void> {
    conn?.close();
    await broker?.stop();
    broker = undefined;
  }

  /** Each entry's [errorCode, errorMessage], in request order. */
  async function alter(entries: { entity: Entity; ops: Op[] }[], validateOnly = false, version = 1) {
    const response = await conn.request(ApiKey.AlterClientQuotas, version, {
      validateOnly,
      entries: entries.map((e) => ({
        entity: components(e.entity),
        ops: e.ops.map((o) => ({ key: o.key, value: o.value ?? 0, remove: o.remove ?? false })),
      })),
    });
    expect(response.entries.map((e) => e.entity)).toEqual(entries.map((e) => components(e.entity)));
    return response.entries.map((e) => [e.errorCode, e.errorMessage]);
  }

  /** The matching entities as `user/client-id` texts (`-` absent, `<default>` default) with their values, sorted. */
  async function describeQuotas(filter: Component[], strict: boolean, version = 1) {
    const response = await conn.request(ApiKey.DescribeClientQuotas, version, { components: filter, strict });
    expect([response.errorCode, response.errorMessage]).toEqual([ErrorCode.NONE, null]);
    const name = (type: string, entity: { entityType: string; entityName: string | null }[]) => {
      const c = entity.find((e) => e.entityType === type);
      return c === undefined ? '-' : (c.entityName ?? '<default>');
    };
    return response
      .entries!.map(
        (e) =>
          [`${name('user', e.entity)}/${name('client-id', e.entity)}`, Object.fromEntries(e.values.map((v) => [v.key, v.value]))] as const,
      )
      .sort(([a], [b]) => (a < b ? -1 : 1));
  }

  async function describeError(filter: Component[]) {
    const response = await conn.request(ApiKey.DescribeClientQuotas, 1, { components: filter, strict: false });
    expect(response.entries).toBeNull();
    return [response.errorCode, response.errorMessage];
  }

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'kts-quotas-'));
    await start();
  });

  afterAll(async () => {
    await stop();
    await rm(logDir, { recursive: true, force: true });
  });

  it('advertises both APIs at every version the codecs have', () => {
    expect(conn.versions!.get(ApiKey.DescribeClientQuotas)).toEqual({ min: 0, max: 1 });
    expect(conn.versions!.get(ApiKey.AlterClientQuotas)).toEqual({ min: 0, max: 1 });
  });

  it('stores quotas per entity and describes them with each filter kind', async () => {
    expect(
      await alter([
        {
          entity: { user: 'alice' },
          ops: [
            { key: 'producer_byte_rate', value: 1024 },
            { key: 'consumer_byte_rate', value: 2048 },
          ],
        },
        { entity: { user: 'alice', 'client-id': 'c1' }, ops: [{ key: 'request_percentage', value: 50.5 }] },
        { entity: { user: null }, ops: [{ key: 'producer_byte_rate', value: 10 }] },
      ]),
    ).toEqual([
      [0, null],
      [0, null],
      [0, null],
    ]);
    // v0 (non-flexible) carries the same.
    expect(
      await alter(
        [
          { entity: { 'client-id': 'c1' }, ops: [{ key: 'controller_mutation_rate', value: 0.5 }] },
          { entity: { 'client-id': null }, ops: [{ key: 'consumer_byte_rate', value: 7 }] },
          { entity: { user: null, 'client-id': 'c2' }, ops: [{ key: 'producer_byte_rate', value: 3 }] },
        ],
        false,
        0,
      ),
    ).toEqual([
      [0, null],
      [0, null],
      [0, null],
    ]);

    const everything = [
      ['-/<default>', { consumer_byte_rate: 7 }],
      ['-/c1', { controller_mutation_rate: 0.5 }],
      ['<default>/-', { producer_byte_rate: 10 }],
      ['<default>/c2', { producer_byte_rate: 3 }],
      ['alice/-', { producer_byte_rate: 1024, consumer_byte_rate: 2048 }],
      ['alice/c1', { request_percentage: 50.5 }],
    ];
    expect(await describeQuotas([], false)).toEqual(everything);
    expect(await describeQuotas([], false, 0)).toEqual(everything);
    expect(await describeQuotas([], true)).toEqual([]);
    const keys = async (filter: Component[], strict: boolean) => (await describeQuotas(filter, strict)).map(([k]) => k);
    expect(await keys([exact('user', 'alice')], false)).toEqual(['alice/-', 'alice/c1']);
    expect(await keys([exact('user', 'alice')], true)).toEqual(['alice/-']);
    expect(await keys([exact('user', 'nobody')], false)).toEqual([]);
    expect(await keys([byDefault('user')], false)).toEqual(['<default>/-', '<default>/c2']);
    expect(await keys([byDefault('user')], true)).toEqual(['<default>/-']);
    // SPECIFIED: any name, the default included (KIP-546, ClientQuotasImage.matches).
    expect(await keys([specified('user')], true)).toEqual(['<default>/-', 'alice/-']);
    expect(await keys([specified('client-id')], false)).toEqual(['-/<default>', '-/c1', '<default>/c2', 'alice/c1']);
    expect(await keys([specified('user'), exact('client-id', 'c1')], true)).toEqual(['alice/c1']);
    expect(await keys([byDefault('user'), specified('client-id')], true)).toEqual(['<default>/c2']);
    expect(await keys([specified('ip')], false)).toEqual([]);
  });

  it('refuses a bad filter as a whole, with Kafka’s codes and messages', async () => {
    expect(await describeError([{ entityType: 'user', matchType: EXACT, match: null }])).toEqual([
      ErrorCode.INVALID_REQUEST,
      'Request specified MATCH_TYPE_EXACT, but set match string to null.',
    ]);
    expect(await describeError([{ entityType: 'user', matchType: DEFAULT, match: 'x' }])).toEqual([
      ErrorCode.INVALID_REQUEST,
      'Request specified MATCH_TYPE_DEFAULT, but also specified a match string.',
    ]);
    expect(await describeError([{ entityType: 'user', matchType: SPECIFIED, match: 'x' }])).toEqual([
      ErrorCode.INVALID_REQUEST,
      'Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.',
    ]);
    expect(await describeError([{ entityType: 'user', matchType: 7, match: null }])).toEqual([
      ErrorCode.INVALID_REQUEST,
      'Unknown match type 7',
    ]);
    expect(await describeError([specified('user'), exact('user', 'a')])).toEqual([
      ErrorCode.INVALID_REQUEST,
      'Entity type user cannot appear more than once in the filter.',
    ]);
    expect(await describeError([specified('')])).toEqual([ErrorCode.INVALID_REQUEST, 'Invalid empty entity type.']);
    expect(await describeError([specified('group')])).toEqual([ErrorCode.UNSUPPORTED_VERSION, 'Unsupported entity type group']);
    expect(await describeError([specified('ip'), specified('user')])).toEqual([
      ErrorCode.INVALID_REQUEST,
      'Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component.',
    ]);
  });

  it('removes keys, drops an entity with its last key, and validates without changing with validate_only', async () => {
    expect(
      await alter([
        {
          entity: { user: 'alice' },
          ops: [
            { key: 'consumer_byte_rate', remove: true },
            { key: 'request_percentage', remove: true },
          ],
        },
      ]),
    ).toEqual([[0, null]]);
    expect(await describeQuotas([exact('user', 'alice')], true)).toEqual([['alice/-', { producer_byte_rate: 1024 }]]);
    expect(await alter([{ entity: { user: 'alice', 'client-id': 'c1' }, ops: [{ key: 'request_percentage', remove: true }] }])).toEqual([
      [0, null],
    ]);
    expect(await describeQuotas([exact('user', 'alice'), exact('client-id', 'c1')], true)).toEqual([]);

    expect(await alter([{ entity: { user: 'bob' }, ops: [{ key: 'producer_byte_rate', value: 5 }] }], true)).toEqual([[0, null]]);
    expect(await alter([{ entity: { user: 'bob' }, ops: [{ key: 'producer_byte_rate', value: 0 }] }], true)).toEqual([
      [ErrorCode.INVALID_REQUEST, 'Quota producer_byte_rate must be greater than 0'],
    ]);
    expect(await describeQuotas([exact('user', 'bob')], false)).toEqual([]);
  });

  it('refuses bad keys, values and entities per entry, changing none of that entry', async () => {
    const results = await alter([
      {
        entity: { user: 'carol' },
        ops: [
          { key: 'producer_byte_rate', value: 100 },
          { key: 'nope', value: 1 },
        ],
      },
      { entity: { user: 'carol' }, ops: [{ key: 'producer_byte_rate', value: -1 }] },
      { entity: { user: 'dave' }, ops: [{ key: 'consumer_byte_rate', value: 1.5 }] },
      { entity: { user: 'dave' }, ops: [{ key: 'producer_byte_rate', value: 2 ** 64 }] },
      { entity: { user: 'erin' }, ops: [{ key: 'request_percentage', value: Number.NaN }] },
      {
        entity: { user: 'erin' },
        ops: [
          { key: 'request_percentage', value: 1 },
          { key: 'request_percentage', remove: true },
        ],
      },
      { entity: {}, ops: [{ key: 'producer_byte_rate', value: 1 }] },
      { entity: { user: '' }, ops: [{ key: 'producer_byte_rate', value: 1 }] },
      { entity: { group: 'g' }, ops: [{ key: 'producer_byte_rate', value: 1 }] },
      { entity: { ip: '127.0.0.1' }, ops: [{ key: 'connection_creation_rate', value: 1 }] },
      { entity: { ip: '127.0.0.1', user: 'x' }, ops: [{ key: 'producer_byte_rate', value: 1 }] },
      { entity: { user: 'frank' }, ops: [{ key: 'consumer_byte_rate', value: 9.000_000_000_1 }] },
    ]);
    expect(results).toEqual([
      [ErrorCode.INVALID_REQUEST, 'Invalid configuration key nope'],
      [ErrorCode.INVALID_REQUEST, 'Ignoring duplicate entity ClientQuotaEntity(entries={user=carol})'],
      [ErrorCode.INVALID_REQUEST, 'consumer_byte_rate cannot be a fractional value.'],
      [ErrorCode.INVALID_REQUEST, 'Ignoring duplicate entity ClientQuotaEntity(entries={user=dave})'],
      [ErrorCode.INVALID_REQUEST, 'Quota request_percentage must be greater than 0'],
      [ErrorCode.INVALID_REQUEST, 'Ignoring duplicate entity ClientQuotaEntity(entries={user=erin})'],
      [ErrorCode.INVALID_REQUEST, 'Invalid empty client quota entity'],
      [ErrorCode.INVALID_REQUEST, 'Empty user not supported'],
      [ErrorCode.INVALID_REQUEST, 'Unhandled client quota entity type: group'],
      [ErrorCode.INVALID_REQUEST, 'IP connection quotas are not supported by this broker'],
      [ErrorCode.INVALID_REQUEST, 'Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId'],
      [0, null],
    ]);
    expect(
      await alter([
        { entity: { user: 'dave' }, ops: [{ key: 'producer_byte_rate', value: 2 ** 64 }] },
        {
          entity: { user: 'erin', 'client-id': 'e' },
          ops: [
            { key: 'request_percentage', value: 1 },
            { key: 'request_percentage', remove: true },
          ],
        },
      ]),
    ).toEqual([
      [ErrorCode.INVALID_REQUEST, 'Proposed value for producer_byte_rate is too large for a LONG.'],
      [
        ErrorCode.INVALID_REQUEST,
        'Duplicate quota key request_percentage not updating quota for this entity ClientQuotaEntity(entries={client-id=e, user=erin})',
      ],
    ]);
    // Within Kafka's tolerance a byte rate counts as whole.
    expect(await describeQuotas([specified('user')], true)).toEqual([
      ['<default>/-', { producer_byte_rate: 10 }],
      ['alice/-', { producer_byte_rate: 1024 }],
      ['frank/-', { consumer_byte_rate: 9.000_000_000_1 }],
    ]);
  });

  it('keeps quotas across a restart, through the metadata file, dropping stored entries that no longer read', async () => {
    const before = await describeQuotas([], false);
    await stop();
    const path = join(logDir, LOCAL_METADATA_FILE);
    const stored = JSON.parse(await readFile(path, 'utf8'));
    expect(stored.clientQuotas['users/alice']).toEqual({ producer_byte_rate: '1024' });
    expect(stored.clientQuotas['users/<default>/clients/c2']).toEqual({ producer_byte_rate: '3' });
    stored.clientQuotas['users/mallory'] = { producer_byte_rate: '-5', request_percentage: '3' };
    stored.clientQuotas['topics/t'] = { producer_byte_rate: '1' };
    await writeFile(path, JSON.stringify(stored));

    await start();
    expect(await describeQuotas([], false)).toEqual(
      [...before, ['mallory/-', { request_percentage: 3 }]].sort(([a], [b]) => (a! < b! ? -1 : 1)),
    );
    expect(warnings).toEqual([
      'Ignoring stored client quota producer_byte_rate=-5 of users/mallory: Quota producer_byte_rate must be greater than 0',
      'Ignoring stored client quotas under an unknown entity path: topics/t',
    ]);
  });
});
