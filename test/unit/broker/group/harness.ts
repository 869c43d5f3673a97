import { GroupCoordinator } from '../../../../src/broker/group/group-coordinator.js';
import type { GroupCoordinatorConfig } from '../../../../src/broker/group/group-coordinator-config.js';
import type { JoinRequest } from '../../../../src/broker/group/group-membership.js';
import type { JoinResult } from '../../../../src/broker/group/member.js';
import { encodeConsumerProtocolSubscription } from '../../../../src/protocol/generated/data/consumer-protocol-subscription.js';
import { Writer } from '../../../../src/protocol/primitives/writer.js';
import { ManualScheduler } from './manual-scheduler.js';
import { MemoryGroupLog } from './memory-group-log.js';

export const CONFIG: GroupCoordinatorConfig = {
  initialRebalanceDelayMs: 0,
  minSessionTimeoutMs: 1000,
  maxSessionTimeoutMs: 60_000,
  maxGroupSize: 100,
  retentionMs: 3_600_000,
  metadataMaxBytes: 100,
  retentionCheckIntervalMs: 60_000,
};

export interface Harness {
  coordinator: GroupCoordinator;
  scheduler: ManualScheduler;
  log: MemoryGroupLog;
  warnings: string[];
}

export function harness(
  config: Partial<GroupCoordinatorConfig> = {},
  log = new MemoryGroupLog(),
  scheduler = new ManualScheduler(),
): Harness {
  const warnings: string[] = [];
  const coordinator = new GroupCoordinator({
    log,
    config: { ...CONFIG, ...config },
    partitionExists: (topic, partition) => topic !== 'missing' && partition >= 0 && partition < 6,
    scheduler,
    onWarning: (m) => warnings.push(m),
  });
  coordinator.start();
  return { coordinator, scheduler, log, warnings };
}

/** Consumer protocol subscription bytes (v1), as Java/kafkajs clients put them in JoinGroup. */
export function subscription(...topics: string[]): Buffer {
  const w = new Writer();
  w.int16(1);
  encodeConsumerProtocolSubscription(w, { topics, userData: null, ownedPartitions: [], generationId: -1, rackId: null }, 1);
  return w.toBuffer();
}

export function joinRequest(overrides: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription('t') }],
    requireKnownMemberId: true,
    supportsSkipAssignment: true,
    ...overrides,
  };
}

/** A promise whose outcome can be inspected synchronously after `settle()`. */
export interface Tracked<T> {
  value?: T;
}

export function track<T>(p: Promise<T> | T): Tracked<T> {
  const t: Tracked<T> = {};
  void Promise.resolve(p).then((v) => (t.value = v));
  return t;
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Joins a new dynamic member through MEMBER_ID_REQUIRED; returns its pending join. */
export async function joinNew(h: Harness, overrides: Partial<JoinRequest> = {}): Promise<{ memberId: string; join: Tracked<JoinResult> }> {
  const first = await h.coordinator.membership.join(joinRequest(overrides));
  if (first.errorCode !== 79) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
  const join = track(h.coordinator.membership.join(joinRequest({ ...overrides, memberId: first.memberId })));
  await settle();
  return { memberId: first.memberId, join };
}
