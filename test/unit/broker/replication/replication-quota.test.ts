import { describe, expect, it } from 'vitest';
import { LONG_MAX } from '../../../../src/broker/log/log-config.js';
import { isThrottledReplica, RateQuota } from '../../../../src/broker/replication/replication-quota.js';

describe('replication quotas (KIP-73)', () => {
  it('reads *.replication.throttled.replicas: `*` or partition:broker pairs', () => {
    expect(isThrottledReplica('*', 3, 7)).toBe(true);
    expect(isThrottledReplica('0:1, 0:2,1:3', 0, 2)).toBe(true);
    expect(isThrottledReplica('0:1,0:2', 1, 1)).toBe(false);
    expect(isThrottledReplica('', 0, 1)).toBe(false);
  });

  it('is exceeded when the bytes over the window (at least all but one sample long) pass the bound', () => {
    let now = 0;
    const quota = new RateQuota(
      () => 1000,
      () => ({ samples: 3, sampleMs: 1000 }),
      () => now,
    );
    expect(quota.isExceeded()).toBe(false);
    quota.record(1500); // 1500 B over a 2 s minimum window: 750 B/s
    expect(quota.isExceeded()).toBe(false);
    quota.record(1000); // 2500 B over 2 s
    expect(quota.isExceeded()).toBe(true);
    now = 3000; // the first sample has left the window
    expect(quota.isExceeded()).toBe(false);
  });

  it('an unbounded rate (Kafka default Long.MAX_VALUE) never throttles', () => {
    const quota = new RateQuota(
      () => Number(LONG_MAX),
      () => ({ samples: 11, sampleMs: 1000 }),
    );
    quota.record(1e12);
    expect(quota.isExceeded()).toBe(false);
  });
});
