import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { needs } from '../../helpers/requirements.js';
import { waitUntil } from '../../helpers/wait.js';
import { runKts } from '../../helpers/kts.js';
import { coversExactlyOnce, describeAssignments, MemberProcess } from '../groups/members.js';

const GROUP = 'ledger-readers';
const TOPIC = 'ledger';
/** librdkafka's client.id in confluent_member.py. */
const CLIENT_ID = 'librdkafka-member';

interface MembersJson {
  group: string;
  state: string;
  members: Array<{
    consumerId: string;
    groupInstanceId: string | null;
    host: string;
    clientId: string;
    assignment: Array<{ topic: string; partition: number }>;
  }>;
}

/** GROUP-INSTANCE-ID needs DescribeGroups v4+: a librdkafka static member next to a dynamic one. */
describe('kts consumer-groups --describe --members with a static member', needs('confluent-kafka'), () => {
  let broker: StartedBroker;
  let admin: Admin;
  let members: MemberProcess[] = [];
  const kts = (...args: string[]) =>
    runKts(['consumer-groups', '--bootstrap-server', broker.bootstrapServers, ...args], { timeoutMs: 30_000 });

  beforeAll(async () => {
    broker = await startBroker();
    admin = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] });
    const args = [broker.bootstrapServers, GROUP, TOPIC, 'range'];
    members = [MemberProcess.confluent('static', [...args, 'instance=ledger-a']), MemberProcess.confluent('dynamic', args)];
    await waitUntil(
      () => members.every((m) => (m.assignment?.length ?? 0) > 0) && coversExactlyOnce(members, 3),
      () => describeAssignments(members),
      30_000,
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(members.map((m) => m.close()));
    await admin?.disconnect();
    await broker?.stop();
  });

  it("prints Kafka's GROUP-INSTANCE-ID column, empty for the dynamic member, in text and JSON", async () => {
    const json = await kts('--describe', '--group', GROUP, '--members', '--output', 'json');
    expect(json.code).toBe(0);
    const [report] = JSON.parse(json.stdout) as MembersJson[];
    expect(report).toMatchObject({ group: GROUP, state: 'Stable' });
    const rows = report!.members;
    const staticRow = rows.find((m) => m.groupInstanceId !== null)!;
    const dynamicRow = rows.find((m) => m.groupInstanceId === null)!;
    expect(staticRow).toMatchObject({ groupInstanceId: 'ledger-a', host: '/127.0.0.1', clientId: CLIENT_ID });
    expect(staticRow.consumerId).toMatch(/^ledger-a-/);
    expect(dynamicRow).toMatchObject({ host: '/127.0.0.1', clientId: CLIENT_ID });
    expect(dynamicRow.consumerId).toMatch(/^librdkafka-member-/);
    const partitions = (m: MembersJson['members'][number]) => m.assignment.map((tp) => tp.partition).sort();
    expect(partitions(staticRow)).toEqual(members[0]!.assignment);
    expect(partitions(dynamicRow)).toEqual(members[1]!.assignment);

    // Kafka's "%-<G>s %-<C>s %-<I>s %-<H>s %-<L>s %-15s ": each width the column's longest value, at least 15 (I: 17).
    const c = Math.max(...rows.map((m) => m.consumerId.length));
    const line = (group: string, consumer: string, instance: string, host: string, client: string, count: string) =>
      `${group.padEnd(15)} ${consumer.padEnd(c)} ${instance.padEnd(17)} ${host.padEnd(15)} ${client.padEnd(CLIENT_ID.length)} ${count.padEnd(15)} `;
    const header = line('GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS');
    const row = (m: MembersJson['members'][number]) =>
      line(GROUP, m.consumerId, m.groupInstanceId ?? '', m.host, m.clientId, String(m.assignment.length));
    const assignment = (m: MembersJson['members'][number]) => `(${partitions(m).join(',')})`;

    const text = await kts('--describe', '--group', GROUP, '--members');
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toBe(`\n${header}\n${rows.map((m) => `${row(m)}\n`).join('')}`);

    const verbose = await kts('--describe', '--group', GROUP, '--members', '--verbose');
    expect(verbose).toMatchObject({ code: 0, stderr: '' });
    expect(verbose.stdout).toBe(`\n${header}ASSIGNMENT\n${rows.map((m) => `${row(m)}${assignment(m)}\n`).join('')}`);
  });
});
