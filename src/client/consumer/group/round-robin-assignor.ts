import { compareMembers, compareStrings, emptyAssignment, type Assignor } from './assignor.js';

/**
 * Java's RoundRobinAssignor: every partition of the subscribed topics, topics in name order, goes
 * to the next member in MemberInfo order (circularly) that subscribes to its topic.
 */
export const roundRobinAssignor: Assignor = {
  name: 'roundrobin',
  assign(members, partitionCounts) {
    const assignment = emptyAssignment(members);
    const sorted = [...members].sort(compareMembers);
    const subscribed = new Set(members.flatMap((m) => m.topics));
    const topics = [...partitionCounts.keys()].filter((t) => subscribed.has(t)).sort(compareStrings);
    let next = 0;
    for (const topic of topics) {
      for (let partition = 0; partition < partitionCounts.get(topic)!; partition++) {
        while (!sorted[next % sorted.length]!.topics.includes(topic)) next++;
        assignment.get(sorted[next++ % sorted.length]!.memberId)!.push({ topic, partition });
      }
    }
    return assignment;
  },
};
