import { hasLeader, overrides, partitionLine, replicationFactor, sortedPartitions, topicLine } from './describe-format.js';
import { matchesHealthFilters, type HealthFilter } from './partition-health.js';
import type { PartitionInfo, TopicDescription } from './topic-description.js';

export interface ReportOptions {
  healthFilters: readonly HealthFilter[];
  topicsWithOverrides: boolean;
  liveBrokers: ReadonlySet<number>;
}

/** A described topic after `--describe`'s filters: the summary (if shown) and the partitions shown. */
export interface TopicReport {
  topic: TopicDescription;
  showSummary: boolean;
  partitions: PartitionInfo[];
}

/**
 * TopicCommand.describeTopic's selection: a health filter hides summaries and keeps matching
 * partitions; `--topics-with-overrides` keeps only summaries of topics with non-default configs.
 */
export function selectReports(topics: readonly TopicDescription[], opts: ReportOptions): TopicReport[] {
  return topics.map((topic) => {
    const minIsr = Number(topic.configs.find((c) => c.name === 'min.insync.replicas')?.value ?? '1');
    const ctx = { minIsr, liveBrokers: opts.liveBrokers };
    const showSummary = opts.healthFilters.length === 0 && (!opts.topicsWithOverrides || overrides(topic.configs).length > 0);
    const partitions = opts.topicsWithOverrides
      ? []
      : sortedPartitions(topic).filter((p) => matchesHealthFilters(p, opts.healthFilters, ctx));
    return { topic, showSummary, partitions };
  });
}

export function reportText(reports: readonly TopicReport[]): string {
  let out = '';
  for (const { topic, showSummary, partitions } of reports) {
    if (showSummary) out += `${topicLine(topic)}\n`;
    for (const p of partitions) out += `${partitionLine(topic.name, p)}\n`;
  }
  return out;
}

/** `--output json`: one object per topic, its summary fields only when the summary is shown. */
export function reportJson(reports: readonly TopicReport[]): unknown[] {
  return reports
    .filter((r) => r.showSummary || r.partitions.length > 0)
    .map(({ topic, showSummary, partitions }) => {
      const first = sortedPartitions(topic)[0];
      return {
        name: topic.name,
        ...(showSummary
          ? {
              topicId: topic.topicId,
              partitionCount: topic.partitions.length,
              replicationFactor: first === undefined ? 0 : replicationFactor(first),
              configs: Object.fromEntries(overrides(topic.configs).map((c) => [c.name, c.value])),
            }
          : {}),
        partitions: partitions.map((p) => ({
          partition: p.partition,
          leader: hasLeader(p) ? p.leader : null,
          replicas: p.replicas,
          isr: p.isr,
          elr: p.elr,
          lastKnownElr: p.lastKnownElr,
          ...(p.reassignment ? p.reassignment : {}),
        })),
      };
    });
}
