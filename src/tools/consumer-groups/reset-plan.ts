import { KtsError } from '../../util/errors.js';
import { comparePartitions, partitionKey, partitionName, type TopicPartition } from './topic-partitions.js';

/** What the cluster says about one partition, as far as the chosen strategy needs it. */
export interface PartitionFacts {
  committed?: number;
  logStart?: number;
  logEnd?: number;
  /** The first offset whose record is at or after the reset time; absent when there is none. */
  atTimestamp?: number;
}

/** A strategy with its inputs resolved: `--to-datetime`/`--by-duration` become `timestamp`. */
export type PlanStrategy =
  | { kind: 'to-offset'; offset: number }
  | { kind: 'shift-by'; shift: number }
  | { kind: 'to-earliest' | 'to-latest' | 'to-current' | 'timestamp' }
  /** Offsets read from a `--from-file` CSV, by partitionKey. */
  | { kind: 'requested'; offsets: ReadonlyMap<string, number> };

export interface PlannedOffset extends TopicPartition {
  offset: number;
}

export interface ResetPlan {
  offsets: PlannedOffset[];
  /** Kafka's warnings (clamped offsets, empty partitions), one line each. */
  warnings: string[];
}

/**
 * ConsumerGroupService.prepareOffsetsToReset for one group: the new offset of every partition,
 * sorted. Requested offsets (to-offset, shift-by, from-file) are clamped into the log's range
 * with a warning, as Kafka's checkOffsetsRange does.
 */
export function planReset(
  strategy: PlanStrategy,
  partitions: readonly TopicPartition[],
  factsOf: (tp: TopicPartition) => PartitionFacts,
): ResetPlan {
  const warnings: string[] = [];
  const known = (value: number | undefined, message: string, tp: TopicPartition): number => {
    if (value === undefined) throw new KtsError(`Error: ${message} ${partitionName(tp)}`);
    return value;
  };
  const clamp = (tp: TopicPartition, offset: number): number => {
    const facts = factsOf(tp);
    const end = known(facts.logEnd, 'Error getting ending offset of topic partition:', tp);
    if (offset > end) {
      warnings.push(
        `WARN: New offset (${offset}) is higher than latest offset for topic partition ${partitionName(tp)}. Value will be set to ${end}`,
      );
      return end;
    }
    if (facts.logStart !== undefined && offset < facts.logStart) {
      warnings.push(
        `WARN: New offset (${offset}) is lower than earliest offset for topic partition ${partitionName(tp)}. Value will be set to ${facts.logStart}`,
      );
      return facts.logStart;
    }
    return offset;
  };

  const offsetOf = (tp: TopicPartition): number => {
    const facts = factsOf(tp);
    switch (strategy.kind) {
      case 'to-offset':
        return clamp(tp, strategy.offset);
      case 'shift-by': {
        if (facts.committed === undefined) {
          throw new KtsError(`Error: Cannot shift offset for partition ${partitionName(tp)} since there is no current committed offset`);
        }
        return clamp(tp, facts.committed + strategy.shift);
      }
      case 'requested':
        return clamp(tp, strategy.offsets.get(partitionKey(tp))!);
      case 'to-earliest':
        return known(facts.logStart, 'Error getting starting offset of topic partition:', tp);
      case 'to-latest':
        return known(facts.logEnd, 'Error getting ending offset of topic partition:', tp);
      case 'to-current':
        return facts.committed ?? known(facts.logEnd, 'Error getting ending offset of topic partition:', tp);
      case 'timestamp': {
        if (facts.atTimestamp !== undefined) return facts.atTimestamp;
        warnings.push(`Warn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.`);
        return known(facts.logEnd, 'Error getting offset by timestamp of topic partition:', tp);
      }
    }
  };

  const offsets = [...partitions].sort(comparePartitions).map((tp) => ({ ...tp, offset: offsetOf(tp) }));
  return { offsets, warnings };
}
