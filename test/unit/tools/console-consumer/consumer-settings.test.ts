import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/util/errors.js';
import { groupSettings } from '../../../../src/tools/console-consumer/consumer-settings.js';

const props = (o: Record<string, string> = {}) => new Map(Object.entries(o));

describe('group member settings from consumer properties', () => {
  it('maps the group properties, Java class names and librdkafka names of the strategies alike', () => {
    expect(
      groupSettings(
        props({
          'group.instance.id': 'reader-1',
          'session.timeout.ms': '10000',
          'heartbeat.interval.ms': '500',
          'max.poll.interval.ms': '60000',
          'auto.commit.interval.ms': '1000',
          'partition.assignment.strategy': 'org.apache.kafka.clients.consumer.RoundRobinAssignor, range, roundrobin',
        }),
      ),
    ).toEqual({
      groupInstanceId: 'reader-1',
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 500,
      maxPollIntervalMs: 60_000,
      autoCommitIntervalMs: 1000,
      assignors: ['roundrobin', 'range'],
      retryBackoffMaxMs: undefined,
    });
    expect(groupSettings(props()).assignors).toBeUndefined();
  });

  it("rejects what Kafka's consumer rejects, and the strategies kts does not speak", () => {
    const usage = (p: Record<string, string>) => {
      try {
        groupSettings(props(p));
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error('expected a usage error');
    };
    expect(usage({ 'session.timeout.ms': '2000' })).toBe('Error: heartbeat.interval.ms must be lower than session.timeout.ms');
    expect(usage({ 'group.instance.id': 'a b' })).toContain("invalid group.instance.id 'a b'");
    expect(usage({ 'partition.assignment.strategy': 'cooperative-sticky' })).toBe(
      "Error: partition.assignment.strategy 'cooperative-sticky' is not supported (use range or roundrobin)",
    );
  });
});
