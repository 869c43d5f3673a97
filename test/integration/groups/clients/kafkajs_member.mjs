// A kafkajs group member that reports its assignment as JSON lines.
// argv: bootstrap group topic. It offers a "roundrobin" assigner so it can share a group with
// librdkafka members (kafkajs's own assigner is named "RoundRobinAssigner", which they lack).
// SIGTERM disconnects (LeaveGroup); SIGKILL is a crash.
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';

const [bootstrap, groupId, topic] = process.argv.slice(2);
const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

const roundRobin = ({ cluster }) => ({
  name: 'roundrobin',
  version: 0,
  async assign({ members, topics }) {
    await cluster.refreshMetadata();
    const partitions = topics.flatMap((t) => cluster.findTopicPartitionMetadata(t).map((p) => ({ topic: t, partition: p.partitionId })));
    partitions.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    const ids = members.map((m) => m.memberId).sort();
    const byMember = new Map(ids.map((id) => [id, {}]));
    partitions.forEach((tp, i) => {
      const assignment = byMember.get(ids[i % ids.length]);
      (assignment[tp.topic] ??= []).push(tp.partition);
    });
    return ids.map((memberId) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: byMember.get(memberId),
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return { name: 'roundrobin', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});

const kafka = new Kafka({ clientId: 'kafkajs-member', brokers: [bootstrap], logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({
  groupId,
  partitionAssigners: [roundRobin],
  sessionTimeout: 6000,
  rebalanceTimeout: 10000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 200,
});
consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  emit({ event: 'assignment', partitions: [...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b) });
});
process.on('SIGTERM', async () => {
  await consumer.disconnect().catch(() => {});
  emit({ event: 'closed' });
  process.exit(0);
});
await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });
await consumer.run({
  eachMessage: async ({ partition, message }) => {
    emit({ event: 'message', partition, offset: message.offset, value: message.value.toString() });
  },
});
emit({ event: 'started' });
