import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

const NAME = 'KtsFixedPartition';

/**
 * kafkajs only consumes through a group. For `--partition` the console consumer joins its own
 * generated group with this assigner, which gives the one member exactly that partition, as the
 * Java consumer's `assign()` would.
 */
export function fixedPartitionAssigner(topic: string, partition: number): PartitionAssigner {
  return () => ({
    name: NAME,
    version: 1,
    async assign({ members }) {
      return members.map((member, i) => ({
        memberId: member.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: i === 0 ? { [topic]: [partition] } : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return { name: NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) };
    },
  });
}
