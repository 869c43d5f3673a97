import { compareMembers, emptyAssignment, type Assignor } from './assignor.js';

/**
 * Java's RangeAssignor (without rack information): per topic, the members subscribed to it in
 * MemberInfo order each get a consecutive range of partitions, the first `count % members` one
 * more than the rest.
 */
export const rangeAssignor: Assignor = {
  name: 'range',
  assign(members, partitionCounts) {
    const assignment = emptyAssignment(members);
    const sorted = [...members].sort(compareMembers);
    for (const [topic, count] of partitionCounts) {
      const consumers = sorted.filter((m) => m.topics.includes(topic));
      if (consumers.length === 0) continue;
      const each = Math.floor(count / consumers.length);
      const extra = count % consumers.length;
      consumers.forEach((member, i) => {
        const start = each * i + Math.min(i, extra);
        const length = each + (i < extra ? 1 : 0);
        const partitions = assignment.get(member.memberId)!;
        for (let p = start; p < start + length; p++) partitions.push({ topic, partition: p });
      });
    }
    return assignment;
  },
};
