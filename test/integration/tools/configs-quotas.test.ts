import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

describe('kts configs --entity-type users|clients against the embedded broker', () => {
  let broker: StartedBroker;
  let tools: Tools;
  const configs = (...args: string[]) => tools.kts(['configs', ...args]);

  beforeAll(async () => {
    broker = await startBroker();
    tools = toolsAgainst(broker);
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('alters quotas with Kafka’s lines, for names, defaults and a user’s client', async () => {
    const altered = await Promise.all([
      configs('--alter', '--user', 'alice', '--add-config', 'producer_byte_rate=1024,consumer_byte_rate=2048'),
      configs('--alter', '--entity-type', 'users', '--entity-name', 'bob', '--add-config', 'request_percentage=25'),
      configs('--alter', '--user', 'alice', '--client', 'c1', '--add-config', 'request_percentage=50.5'),
      configs('--alter', '--user-defaults', '--add-config', 'consumer_byte_rate=2048,request_percentage=200,producer_byte_rate=1024'),
      configs(
        '--alter',
        '--client-defaults',
        '--add-config',
        'producer_byte_rate=10485760,consumer_byte_rate=1e3,request_percentage=200,controller_mutation_rate=0.0001',
      ),
      configs('--alter', '--entity-type', 'clients', '--entity-name', 'c1', '--add-config', 'controller_mutation_rate=0.5'),
      // --entity-default pairs with the type it follows, wherever it stands.
      configs(
        '--alter',
        '--entity-type',
        'users',
        '--entity-default',
        '--entity-type',
        'clients',
        '--entity-name',
        'c2',
        '--add-config',
        'producer_byte_rate=7',
      ),
    ]);
    expect(altered.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [0, 'Completed updating config for user alice.\n', ''],
      [0, 'Completed updating config for user bob.\n', ''],
      [0, 'Completed updating config for client c1.\n', ''],
      [0, 'Completed updating default config for users in the cluster.\n', ''],
      [0, 'Completed updating default config for clients in the cluster.\n', ''],
      [0, 'Completed updating config for client c1.\n', ''],
      [0, 'Completed updating default config for users in the cluster.\n', ''],
    ]);
  });

  it('describes all users, all clients, users with clients, one entity, as Kafka 3.9 prints them', async () => {
    const [users, clients, pairs, aliceClients, userDefault, nobody] = await Promise.all([
      configs('--describe', '--entity-type', 'users'),
      configs('--describe', '--entity-type', 'clients'),
      configs('--describe', '--entity-type', 'users', '--entity-type', 'clients'),
      configs('--describe', '--entity-type', 'users', '--entity-name', 'alice', '--entity-type', 'clients'),
      configs('--describe', '--user-defaults'),
      configs('--describe', '--user', 'nobody'),
    ]);
    expect(users).toMatchObject({
      code: 0,
      stdout:
        'Quota configs for the default user-principal are consumer_byte_rate=2048.0, request_percentage=200.0, producer_byte_rate=1024.0\n' +
        "Quota configs for user-principal 'alice' are consumer_byte_rate=2048.0, producer_byte_rate=1024.0\n" +
        "Quota configs for user-principal 'bob' are request_percentage=25.0\n",
    });
    expect(clients.stdout).toBe(
      'Quota configs for the default client-id are producer_byte_rate=1.048576E7, consumer_byte_rate=1000.0, controller_mutation_rate=1.0E-4, request_percentage=200.0\n' +
        "Quota configs for client-id 'c1' are controller_mutation_rate=0.5\n",
    );
    expect(pairs.stdout).toBe(
      "Quota configs for the default user-principal, client-id 'c2' are producer_byte_rate=7.0\n" +
        "Quota configs for user-principal 'alice', client-id 'c1' are request_percentage=50.5\n",
    );
    expect(aliceClients.stdout).toBe("Quota configs for user-principal 'alice', client-id 'c1' are request_percentage=50.5\n");
    expect(userDefault.stdout).toBe(
      'Quota configs for the default user-principal are consumer_byte_rate=2048.0, request_percentage=200.0, producer_byte_rate=1024.0\n',
    );
    expect([nobody.code, nobody.stdout, nobody.stderr]).toEqual([0, '', '']);

    const json = await configs(
      '--describe',
      '--entity-type',
      'users',
      '--entity-default',
      '--entity-type',
      'clients',
      '--entity-name',
      'c2',
      '--output',
      'json',
    );
    expect(JSON.parse(json.stdout)).toEqual([{ entity: { user: null, 'client-id': 'c2' }, configs: { producer_byte_rate: 7 } }]);
  });

  it('deletes set keys and refuses keys that are not set', async () => {
    const deleted = await configs('--alter', '--user', 'alice', '--delete-config', 'consumer_byte_rate', '--output', 'json');
    expect(JSON.parse(deleted.stdout)).toEqual({ entity: { user: 'alice' }, set: {}, deleted: ['consumer_byte_rate'] });
    expect((await configs('--describe', '--user', 'alice')).stdout).toBe(
      "Quota configs for user-principal 'alice' are producer_byte_rate=1024.0\n",
    );
    // request_percentage is set on (alice, c1), not on alice.
    const unset = await configs('--alter', '--user', 'alice', '--delete-config', 'request_percentage');
    expect([unset.code, unset.stderr]).toEqual([1, 'Invalid config(s): request_percentage\n']);
  });

  it("sets, describes and deletes a user's SCRAM credentials beside its quotas, never echoing the password", async () => {
    const set = await configs(
      '--alter',
      '--user',
      'carol',
      '--add-config',
      'SCRAM-SHA-256=[iterations=8192,password=carol-secret],SCRAM-SHA-512=[password=carol-secret],producer_byte_rate=2048',
    );
    expect([set.code, set.stdout]).toEqual([0, 'Completed updating config for user carol.\n']);
    expect((await configs('--describe', '--user', 'carol')).stdout).toBe(
      "Quota configs for user-principal 'carol' are producer_byte_rate=2048.0\n" +
        "SCRAM credential configs for user-principal 'carol' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096\n",
    );
    await configs('--alter', '--user', 'carol', '--delete-config', 'SCRAM-SHA-512');
    expect((await configs('--describe', '--user', 'carol')).stdout).toContain('are SCRAM-SHA-256=iterations=8192\n');
    const bad = await configs('--alter', '--user', 'carol', '--add-config', 'SCRAM-SHA-256=[pass=carol-secret]');
    expect([bad.code, bad.stderr]).toEqual([2, 'Invalid credential property SCRAM-SHA-256=[hidden]\n']);
    const gone = await configs('--alter', '--user', 'carol', '--delete-config', 'SCRAM-SHA-512');
    expect([gone.code, gone.stderr]).toEqual([
      1,
      'Error while executing config command: Attempt to delete a user credential that does not exist\n',
    ]);
  });

  it('refuses what Kafka’s tool and broker refuse, in one line each', async () => {
    const [unparsable, unknownUserKey, unknownClientKey, scramForClient, scram, fractional, tooMany] = await Promise.all([
      configs('--alter', '--user', 'alice', '--add-config', 'producer_byte_rate=fast'),
      configs('--alter', '--user', 'alice', '--add-config', 'retention.ms=1'),
      configs('--alter', '--client', 'c1', '--delete-config', 'retention.ms'),
      configs('--alter', '--user', 'alice', '--client', 'c1', '--add-config', 'SCRAM-SHA-256=[password=secret]'),
      configs('--alter', '--user', 'alice', '--add-config', 'SCRAM-SHA-256=[iterations=100,password=secret]'),
      configs('--alter', '--user', 'alice', '--add-config', 'producer_byte_rate=1.5'),
      configs('--describe', '--entity-type', 'users', '--entity-name', 'a', '--entity-name', 'b'),
    ]);
    expect([unparsable.code, unparsable.stderr]).toEqual([2, 'Cannot parse quota configuration value for producer_byte_rate: fast\n']);
    expect([unknownUserKey.code, unknownUserKey.stderr]).toEqual([
      2,
      "Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: Set(retention.ms)\n",
    ]);
    expect([unknownClientKey.code, unknownClientKey.stderr]).toEqual([
      2,
      "Only quota configs can be deleted for 'clients' using --bootstrap-server. Unexpected config names: ArrayBuffer(retention.ms)\n",
    ]);
    expect(scramForClient.stderr).toBe(
      "Only quota configs can be added for 'clients' using --bootstrap-server. Unexpected config names: Set(SCRAM-SHA-256)\n",
    );
    expect([scram.code, scram.stderr]).toEqual([2, 'Iterations 100 is less than the minimum 4096 required for SCRAM-SHA-256\n']);
    expect([fractional.code, fractional.stderr]).toEqual([
      1,
      'Error while executing config command: producer_byte_rate cannot be a fractional value.\n',
    ]);
    expect([tooMany.code, tooMany.stderr.trim()]).toEqual([2, 'More entity names specified than entity types']);
    expect((await configs('--describe', '--user', 'alice')).stdout).toBe(
      "Quota configs for user-principal 'alice' are producer_byte_rate=1024.0\n",
    );
  });
});
