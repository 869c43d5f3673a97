import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../src/broker/index.js';
import { needs } from '../../helpers/requirements.js';
import { brokerForTest } from '../../helpers/broker.js';
import { waitUntil } from '../../helpers/wait.js';
import { coversExactlyOnce, describeAssignments, MemberProcess } from './members.js';

const CONFIG = { 'offsets.topic.num.partitions': '5' };
const PARTITIONS = 6;

describe('rebalancing with real clients as separate processes', needs('confluent-kafka'), () => {
  let broker: StartedBroker | undefined;
  let members: MemberProcess[] = [];

  afterEach(async () => {
    for (const m of members) m.crash();
    await Promise.all(members.map((m) => m.close()));
    members = [];
  });

  async function topic(name: string): Promise<string> {
    broker = await brokerForTest({ config: CONFIG });
    const admin = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: name, numPartitions: PARTITIONS }] });
    await admin.disconnect();
    return name;
  }

  it('gives each of 3 librdkafka and 3 kafkajs members its own partition, and rebalances after a leave and a crash', async () => {
    const t = await topic('shared');
    const args = [broker!.bootstrapServers, 'mixed', t];
    members = [
      ...[1, 2, 3].map((i) => MemberProcess.confluent(`librdkafka-${i}`, [...args, 'roundrobin'])),
      ...[1, 2, 3].map((i) => MemberProcess.kafkajs(`kafkajs-${i}`, args)),
    ];
    await waitUntil(
      () => coversExactlyOnce(members, PARTITIONS) && members.every((m) => m.assignment?.length === 1),
      () => describeAssignments(members),
      60_000,
    );

    const [crashed, , , , , leaving] = members;
    await leaving!.close();
    crashed!.crash();
    const rest = members.slice(1, 5);
    // The crashed member is only noticed when its 6 s session times out.
    await waitUntil(
      () => coversExactlyOnce(rest, PARTITIONS),
      () => describeAssignments(members),
      45_000,
    );
  });

  it('rebalances cooperative-sticky librdkafka members incrementally', async () => {
    const t = await topic('sticky');
    const args = [broker!.bootstrapServers, 'coop', t, 'cooperative-sticky'];
    members = [1, 2, 3].map((i) => MemberProcess.confluent(`coop-${i}`, args));
    await waitUntil(
      () => coversExactlyOnce(members, PARTITIONS) && members.every((m) => m.assignment?.length === 2),
      () => describeAssignments(members),
      60_000,
    );
    // What the members that stay own before the leave, and where their reports after it begin.
    const [leaver, ...staying] = members;
    const before = staying.map((m) => ({ owned: m.assignment!, from: m.events.length }));
    await leaver!.close();
    await waitUntil(
      () => coversExactlyOnce(staying, PARTITIONS) && staying.every((m) => m.assignment?.length === 3),
      () => describeAssignments(members),
      30_000,
    );
    // Incremental (cooperative): through the rebalance each keeps what it owned, never revoking it
    // as an eager rebalance would, and gains one of the leaver's partitions.
    staying.forEach((m, i) => {
      const reports = m.events.slice(before[i]!.from).filter((e) => e.event === 'assignment');
      expect(reports.length, m.name).toBeGreaterThan(0);
      for (const report of reports) expect(report.partitions, m.name).toEqual(expect.arrayContaining(before[i]!.owned));
    });
  });
});
