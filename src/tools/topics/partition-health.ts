import { hasLeader, replicationFactor } from './describe-format.js';
import type { PartitionInfo } from './topic-description.js';

/** The four `--describe` partition filters; any of them hides the topic summary line. */
export type HealthFilter = 'under-replicated' | 'unavailable' | 'under-min-isr' | 'at-min-isr';

export interface HealthContext {
  /** The topic's `min.insync.replicas`. */
  minIsr: number;
  liveBrokers: ReadonlySet<number>;
}

const CHECKS: Record<HealthFilter, (p: PartitionInfo, ctx: HealthContext) => boolean> = {
  'under-replicated': (p) => replicationFactor(p) - p.isr.length > 0,
  unavailable: (p, ctx) => !hasLeader(p) || !ctx.liveBrokers.has(p.leader),
  'under-min-isr': (p, ctx) => !hasLeader(p) || p.isr.length < ctx.minIsr,
  'at-min-isr': (p, ctx) => p.isr.length === ctx.minIsr,
};

/** True when the partition should be printed: no filter at all, or any given filter matches. */
export function matchesHealthFilters(p: PartitionInfo, filters: readonly HealthFilter[], ctx: HealthContext): boolean {
  return filters.length === 0 || filters.some((f) => CHECKS[f](p, ctx));
}
