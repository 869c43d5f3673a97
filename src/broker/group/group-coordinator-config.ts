import type { BrokerConfigValues } from '../config/broker-config-defs.js';
import type { MembershipConfig } from './group-membership.js';
import type { OffsetsConfig } from './group-offsets-service.js';

export interface GroupCoordinatorConfig extends MembershipConfig, OffsetsConfig {
  /** offsets.retention.check.interval.ms */
  retentionCheckIntervalMs: number;
}

export function groupCoordinatorConfig(values: BrokerConfigValues): GroupCoordinatorConfig {
  return {
    initialRebalanceDelayMs: values['group.initial.rebalance.delay.ms'],
    minSessionTimeoutMs: values['group.min.session.timeout.ms'],
    maxSessionTimeoutMs: values['group.max.session.timeout.ms'],
    maxGroupSize: values['group.max.size'],
    retentionMs: values['offsets.retention.minutes'] * 60_000,
    metadataMaxBytes: values['offset.metadata.max.bytes'],
    retentionCheckIntervalMs: values['offsets.retention.check.interval.ms'],
  };
}
