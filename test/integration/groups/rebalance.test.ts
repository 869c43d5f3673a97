import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, it } from 'vitest';
import { needs } from '../../helpers/requirements.js';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { coversExactlyOnce, describeAssignments, MemberProcess, waitUntil } from './members.js';

const CONFIG = { 'offsets.topic.num.partitions': '5' };
const PARTITIONS = 6;

describe('rebalancing with real clients as separate processes', needs('confluent-kafka'), () => {
  let broker: StartedBroker | undefined;
  let members: MemberProcess[] = [];

  afterEach(async () => {
    for (const m of members) m.crash();
    await Promise.all(members.map((m) => m.close()));
    members = [];
    await broker?.stop();
    broker = undefined;
  });

  async function topic(name: string): Promise<string> {
    broker = await startBroker({ config: CONFIG });
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
      60_000,
      () => describeAssignments(members),
    );

    const [crashed, , , , , leaving] = members;
    await leaving!.close();
    crashed!.crash();
    const rest = members.slice(1, 5);
    // The crashed member is only noticed when its 6 s session times out.
    await waitUntil(
      () => coversExactlyOnce(rest, PARTITIONS),
      45_000,
      () => describeAssignments(members),
    );
  });

  it('rebalances cooperative-sticky librdkafka members incrementally', async () => {
    const t = await topic('sticky');
    const args = [broker!.bootstrapServers, 'coop', t, 'cooperative-sticky'];
    members = [1, 2, 3].map((i) => MemberProcess.confluent(`coop-${i}`, args));
    await waitUntil(
      () => coversExactlyOnce(members, PARTITIONS) && members.every((m) => m.assignment?.length === 2),
      60_000,
      () => describeAssignments(members),
    );
    await members[0]!.close();
    await waitUntil(
      () => coversExactlyOnce(members.slice(1), PARTITIONS),
      30_000,
      () => describeAssignments(members),
    );
  });
});
