import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../src/broker/index.js';
import { runKts, runShim } from '../../helpers/kts.js';
import { plainCommandConfig, startAuthorizingBroker } from '../broker/helpers.js';

// What Kafka 3.9's AclCommand prints, line by line: --list prints a block only for a resource that has
// ACLs (its map is built from the ACLs found), so a filter that matches nothing prints nothing; --add
// prints its "Adding ACLs" blocks and --remove nothing (3.9 no longer lists after changing, KAFKA-15713).
const ORDERS = 'ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)';
const BILLING = 'ResourcePattern(resourceType=GROUP, name=billing, patternType=LITERAL)';
const ORD_PREFIX = 'ResourcePattern(resourceType=TOPIC, name=ord, patternType=PREFIXED)';
const ALICE_READ = '(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)';
const ALICE_WRITE = '(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)';
const BOB_READ = '(principal=User:bob, host=*, operation=READ, permissionType=ALLOW)';
/** The --list blocks of the three resources, as lines (a block ends in an empty line). */
const ORDERS_BLOCK = [`Current ACLs for resource \`${ORDERS}\`: `, ` \t${ALICE_READ}`, `\t${ALICE_WRITE} `, ''];
const BILLING_BLOCK = [`Current ACLs for resource \`${BILLING}\`: `, ` \t${ALICE_READ} `, ''];
const ORD_PREFIX_BLOCK = [`Current ACLs for resource \`${ORD_PREFIX}\`: `, ` \t${BOB_READ} `, ''];

describe('kts acls and kafka-acls.sh print what Kafka 3.9 prints', () => {
  let broker: StartedBroker;
  let base: string[];

  /** Runs the arguments as `kts acls` and as the kafka-acls.sh shim: both succeed, silent on stderr, with one output, as lines. */
  const both = async (args: string[], input?: string) => {
    const kts = await runKts(['acls', ...base, ...args], { input });
    const shim = await runShim('kafka-acls.sh', [...base, ...args], { input });
    expect(kts).toMatchObject({ code: 0, stderr: '' });
    expect(shim).toMatchObject({ code: 0, stderr: '' });
    expect(shim.stdout.split('\n')).toEqual(kts.stdout.split('\n'));
    return kts.stdout.split('\n');
  };

  beforeAll(async () => {
    broker = await startAuthorizingBroker({ admin: 'admin-pw' });
    base = ['--bootstrap-server', broker.bootstrapServers, '--command-config', plainCommandConfig(broker, 'admin', 'admin-pw')];
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('with no ACLs at all, --list prints nothing, with a filter too; --principal prints only its heading', async () => {
    expect(await both(['--list'])).toEqual(['']);
    expect(await both(['--list', '--topic', 'orders'])).toEqual(['']);
    expect(await both(['--list', '--principal', 'User:alice'])).toEqual(['ACLs for principal `User:alice`', '']);
  });

  it('--add prints one "Adding ACLs" block a resource and no listing after it', async () => {
    expect(
      await both(['--add', '--allow-principal', 'User:alice', '--operation', 'Read', '--operation', 'Write', '--topic', 'orders']),
    ).toEqual([`Adding ACLs for resource \`${ORDERS}\`: `, ` \t${ALICE_READ}`, `\t${ALICE_WRITE} `, '', '']);
    expect(await both(['--add', '--allow-principal', 'User:alice', '--operation', 'Read', '--group', 'billing'])).toEqual([
      `Adding ACLs for resource \`${BILLING}\`: `,
      ` \t${ALICE_READ} `,
      '',
      '',
    ]);
    expect(
      await both([
        '--add',
        '--allow-principal',
        'User:bob',
        '--operation',
        'Read',
        '--topic',
        'ord',
        '--resource-pattern-type',
        'prefixed',
      ]),
    ).toEqual([`Adding ACLs for resource \`${ORD_PREFIX}\`: `, ` \t${BOB_READ} `, '', '']);
  });

  it('--list prints a block only for each resource with ACLs; a named resource without any prints nothing', async () => {
    expect(await both(['--list'])).toEqual([...ORDERS_BLOCK, ...BILLING_BLOCK, ...ORD_PREFIX_BLOCK, '']);
    expect(await both(['--list', '--topic', 'orders'])).toEqual([...ORDERS_BLOCK, '']);
    expect(await both(['--list', '--topic', 'payments'])).toEqual(['']);
    expect(await both(['--list', '--group', 'payments', '--transactional-id', 'orders'])).toEqual(['']);
    expect(await both(['--list', '--topic', 'payments', '--topic', 'orders', '--group', 'billing'])).toEqual([
      ...ORDERS_BLOCK,
      ...BILLING_BLOCK,
      '',
    ]);
    // A resource several filters match is one block, each ACL once (Kafka's map of sets).
    expect(await both(['--list', '--topic', 'orders', '--topic', 'orders'])).toEqual([...ORDERS_BLOCK, '']);
    expect(await both(['--list', '--resource-pattern-type', 'match', '--topic', 'orders', '--topic', 'ordinary'])).toEqual([
      ...ORDERS_BLOCK,
      ...ORD_PREFIX_BLOCK,
      '',
    ]);
    expect(await both(['--list', '--resource-pattern-type', 'match', '--topic', 'payments'])).toEqual(['']);
  });

  it('--list --principal: a heading for each principal, then only the blocks with its ACLs', async () => {
    expect(await both(['--list', '--principal', 'User:bob', '--principal', 'User:alice'])).toEqual([
      'ACLs for principal `User:bob`',
      ...ORD_PREFIX_BLOCK,
      'ACLs for principal `User:alice`',
      ...ORDERS_BLOCK,
      ...BILLING_BLOCK,
      '',
    ]);
    expect(await both(['--list', '--principal', 'User:carol'])).toEqual(['ACLs for principal `User:carol`', '']);
    expect(await both(['--list', '--topic', 'orders', '--principal', 'User:bob'])).toEqual(['ACLs for principal `User:bob`', '']);
  });

  it('--remove prints nothing with --force, only its question without; a removed resource is no longer listed', async () => {
    expect(await both(['--remove', '--group', 'billing'], 'n\n')).toEqual([
      `Are you sure you want to delete all ACLs for resource filter \`${BILLING}\`? (y/n)`,
      '',
    ]);
    expect(await both(['--remove', '--force', '--topic', 'orders'])).toEqual(['']);
    expect(await both(['--list', '--topic', 'orders'])).toEqual(['']);
    expect(await both(['--list'])).toEqual([...BILLING_BLOCK, ...ORD_PREFIX_BLOCK, '']);
  });
});
