import type { BrokerConfig } from '../config/broker-config.js';

/**
 * Kafka's ReplicationQuotaManager (KIP-73): a byte rate over `replication.quota.window.num`
 * samples of `replication.quota.window.size.seconds`, exceeded when the bytes recorded in the
 * window, over the time it spans, pass the bound. Only replicas a topic lists as throttled and
 * that are out of sync are counted and held back, so the ISR never waits on a throttle.
 */
export class RateQuota {
  readonly #samples: Array<{ start: number; bytes: number }> = [];

  constructor(
    private readonly bound: () => number,
    private readonly window: () => { samples: number; sampleMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  record(bytes: number): void {
    if (bytes <= 0) return;
    const now = this.now();
    const { sampleMs } = this.window();
    const current = this.#samples.at(-1);
    if (current && now - current.start < sampleMs) current.bytes += bytes;
    else this.#samples.push({ start: now, bytes });
    this.#purge(now);
  }

  /** Kafka's Rate: the window's bytes over its elapsed time, at least all but one sample long. */
  isExceeded(): boolean {
    const bound = this.bound();
    if (bound >= Number.MAX_SAFE_INTEGER) return false;
    const now = this.now();
    this.#purge(now);
    const { samples, sampleMs } = this.window();
    const first = this.#samples[0];
    if (!first) return false;
    const elapsedMs = Math.max(now - first.start, (samples - 1) * sampleMs, 1);
    const bytes = this.#samples.reduce((sum, s) => sum + s.bytes, 0);
    return (bytes * 1000) / elapsedMs > bound;
  }

  #purge(now: number): void {
    const { samples, sampleMs } = this.window();
    while (this.#samples.length > 0 && now - this.#samples[0]!.start >= samples * sampleMs) this.#samples.shift();
  }
}

/** Whether a `*.replication.throttled.replicas` value (`*`, or `partition:broker` pairs) lists this replica. */
export function isThrottledReplica(list: string, partition: number, brokerId: number): boolean {
  const value = list.trim();
  if (value === '*') return true;
  if (value === '') return false;
  return value.split(',').some((pair) => pair.trim() === `${partition}:${brokerId}`);
}

/**
 * The broker's replication quotas: what leaders send to throttled followers, what followers fetch,
 * and what replicas moving between log dirs copy (every such move counts).
 */
export interface ReplicationQuotas {
  readonly leader: RateQuota;
  readonly follower: RateQuota;
  readonly alterLogDirs: RateQuota;
}

export function replicationQuotas(config: () => BrokerConfig): ReplicationQuotas {
  const window = () => {
    const v = config().values;
    return { samples: v['replication.quota.window.num'], sampleMs: v['replication.quota.window.size.seconds'] * 1000 };
  };
  const rate = (key: 'leader.replication.throttled.rate' | 'follower.replication.throttled.rate') => () => Number(config().values[key]);
  const alterLogDirsWindow = () => {
    const v = config().values;
    return {
      samples: v['alter.log.dirs.replication.quota.window.num'],
      sampleMs: v['alter.log.dirs.replication.quota.window.size.seconds'] * 1000,
    };
  };
  return {
    leader: new RateQuota(rate('leader.replication.throttled.rate'), window),
    follower: new RateQuota(rate('follower.replication.throttled.rate'), window),
    alterLogDirs: new RateQuota(() => Number(config().values['replica.alter.log.dirs.io.max.bytes.per.second']), alterLogDirsWindow),
  };
}
