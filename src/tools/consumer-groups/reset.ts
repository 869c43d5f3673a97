import { KtsError } from '../../util/errors.js';
import type { ConsumerGroupsRequest, ResetScope } from './consumer-groups-options.js';
import type { GroupCluster } from './group-cluster.js';
import { isInactive } from './group-states.js';
import { parseResetCsv, type GroupOffsets } from './offsets-csv.js';
import { planReset, type PartitionFacts, type PlanStrategy, type PlannedOffset } from './reset-plan.js';
import { partitionKey, type TopicPartition } from './topic-partitions.js';

type ResetRequest = Extract<ConsumerGroupsRequest, { action: 'reset-offsets' }>;

export interface ResetOutcome {
  /** The new offsets of every group that could be reset (committed with `execute`). */
  plans: GroupOffsets[];
  /** Groups that were left alone, with Kafka's reason. */
  errors: string[];
  warnings: string[];
}

export interface ResetEnvironment {
  readFile(path: string): string;
  now(): number;
  /** Told how many of the groups have been planned (and reset) so far. */
  progress?(done: number, total: number): void;
}

/**
 * ConsumerGroupService.resetOffsets: plans (and with --execute commits) new offsets for each
 * group. Groups with active members are refused, as Kafka refuses them.
 */
export async function resetOffsets(cluster: GroupCluster, req: ResetRequest, env: ResetEnvironment): Promise<ResetOutcome> {
  const ids = req.groups.all ? await cluster.consumerGroupIds() : req.groups.ids;
  const filePlans =
    req.strategy.kind === 'from-file' ? parseResetCsv(env.readFile(req.strategy.path), req.singleGroup ? ids[0] : undefined) : undefined;
  const outcome: ResetOutcome = { plans: [], errors: [], warnings: [] };
  const described = await cluster.describe(ids);
  for (const [done, { group, state }] of described.entries()) {
    env.progress?.(done, described.length);
    if (!isInactive(state)) {
      outcome.errors.push(`Error: Assignments can only be reset if the group '${group}' is inactive, but the current state is ${state}.`);
      continue;
    }
    const fromFile = filePlans?.get(group);
    if (filePlans !== undefined && fromFile === undefined) {
      outcome.errors.push(`Error: No reset plan for group ${group} found`);
      continue;
    }
    const committed = await cluster.committed(group);
    const partitions = fromFile ?? (await partitionsToReset(cluster, req.scope, committed));
    const strategy = planStrategy(req, fromFile, env.now);
    const facts = await partitionFacts(cluster, partitions, committed, strategy.timestamp);
    const plan = planReset(strategy.plan, partitions, (tp) => facts.get(partitionKey(tp)) ?? {});
    outcome.warnings.push(...plan.warnings);
    if (req.execute && plan.offsets.length > 0) await cluster.commit(group, plan.offsets);
    outcome.plans.push({ group, offsets: plan.offsets });
  }
  env.progress?.(described.length, described.length);
  return outcome;
}

async function partitionsToReset(
  cluster: GroupCluster,
  scope: ResetScope,
  committed: ReadonlyMap<string, PlannedOffset>,
): Promise<TopicPartition[]> {
  if (scope.kind !== 'topics') return [...committed.values()].map(({ topic, partition }) => ({ topic, partition }));
  const whole = scope.topics.filter((t) => t.partitions === undefined).map((t) => t.topic);
  const known = await cluster.partitionsOf(whole);
  return scope.topics.flatMap(({ topic, partitions }) => {
    const ids = partitions ?? known.get(topic)!;
    if (typeof ids === 'string') throw new KtsError(`Error: Executing consumer group command failed due to ${ids}`);
    return ids.map((partition) => ({ topic, partition }));
  });
}

function planStrategy(
  req: ResetRequest,
  fromFile: readonly PlannedOffset[] | undefined,
  now: () => number,
): { plan: PlanStrategy; timestamp?: number } {
  const s = req.strategy;
  switch (s.kind) {
    case 'to-datetime':
      return { plan: { kind: 'timestamp' }, timestamp: s.timestamp };
    case 'by-duration':
      return { plan: { kind: 'timestamp' }, timestamp: now() - s.durationMs };
    case 'from-file':
      return { plan: { kind: 'requested', offsets: new Map(fromFile!.map((o) => [partitionKey(o), o.offset])) } };
    default:
      return { plan: s };
  }
}

async function partitionFacts(
  cluster: GroupCluster,
  partitions: readonly TopicPartition[],
  committed: ReadonlyMap<string, PlannedOffset>,
  timestamp: number | undefined,
): Promise<Map<string, PartitionFacts>> {
  const ranges = await cluster.logRanges(partitions);
  const atTimestamp = timestamp === undefined ? new Map<string, number>() : await cluster.offsetsAt(partitions, timestamp);
  const facts = new Map<string, PartitionFacts>();
  for (const tp of partitions) {
    const key = partitionKey(tp);
    const range = ranges.get(key);
    const f: PartitionFacts = {};
    const c = committed.get(key)?.offset;
    if (c !== undefined) f.committed = c;
    if (range !== undefined) Object.assign(f, { logStart: range.start, logEnd: range.end });
    const t = atTimestamp.get(key);
    if (t !== undefined) f.atTimestamp = t;
    facts.set(key, f);
  }
  return facts;
}
