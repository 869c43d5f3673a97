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

/**
 * How a tool words the clamping and fallback of new offsets, and whether an offset equal to a
 * bound already counts as out of range (StreamsResetter's checkOffsetRange says so).
 */
export interface ResetWording {
  aboveEnd(tp: TopicPartition, offset: number, end: number): string;
  belowStart(tp: TopicPartition, offset: number, start: number): string;
  noRecordAtTime(tp: TopicPartition): string;
  boundsInclusive: boolean;
}

/** kafka-consumer-groups' words (ConsumerGroupService.checkOffsetsRange and resetToDatetime). */
export const CONSUMER_GROUPS_WORDING: ResetWording = {
  aboveEnd: (tp, offset, end) =>
    `WARN: New offset (${offset}) is higher than latest offset for topic partition ${partitionName(tp)}. Value will be set to ${end}`,
  belowStart: (tp, offset, start) =>
    `WARN: New offset (${offset}) is lower than earliest offset for topic partition ${partitionName(tp)}. Value will be set to ${start}`,
  noRecordAtTime: (tp) => `Warn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.`,
  boundsInclusive: false,
};

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
  wording: ResetWording = CONSUMER_GROUPS_WORDING,
): ResetPlan {
  const warnings: string[] = [];
  const known = (value: number | undefined, message: string, tp: TopicPartition): number => {
    if (value === undefined) throw new KtsError(`Error: ${message} ${partitionName(tp)}`);
    return value;
  };
  const clamp = (tp: TopicPartition, offset: number): number => {
    const facts = factsOf(tp);
    const end = known(facts.logEnd, 'Error getting ending offset of topic partition:', tp);
    const inclusive = wording.boundsInclusive;
    if (offset > end || (inclusive && offset === end)) {
      warnings.push(wording.aboveEnd(tp, offset, end));
      return end;
    }
    if (facts.logStart !== undefined && (offset < facts.logStart || (inclusive && offset === facts.logStart))) {
      warnings.push(wording.belowStart(tp, offset, facts.logStart));
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
        warnings.push(wording.noRecordAtTime(tp));
        return known(facts.logEnd, 'Error getting offset by timestamp of topic partition:', tp);
      }
    }
  };

  const offsets = [...partitions].sort(comparePartitions).map((tp) => ({ ...tp, offset: offsetOf(tp) }));
  return { offsets, warnings };
}
