import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultProduceResponse,
  defaultProduceResponsePartitionProduceResponse,
  type ProduceRequestTopicProduceData,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
} from '../../protocol/generated/apis/produce.js';
import type { ErrorName } from '../../protocol/errors.js';
import { ApiError } from '../api-error.js';
import type { ReplicationWait } from '../replication/delayed-produce.js';
import type { ProduceEntry, ProduceResult } from '../partition/replica-manager.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

const VALID_ACKS = new Set([-1, 0, 1]);
/** Kafka lets only its own admin client write to internal topics. */
const ADMIN_CLIENT_ID = '__admin_client';

/**
 * Produce v0-11: a topic the principal may not WRITE is answered TOPIC_AUTHORIZATION_FAILED for
 * each of its partitions; every other partition's records are validated (v0-2 message sets
 * up-converted to one v2 batch) and appended on their own, answered with the base offset, the LogAppendTime stamp and the
 * log start offset, or an error (from v8 with the records to blame). A partition named more than
 * once is one entry, the last one, answered once, as Kafka keys the request by partition. acks=-1
 * is answered once the ISR has the records (at once on a single broker), or on the request's
 * timeout. acks=0 gets no response; as Kafka does, a failure then closes the connection, the only
 * signal such a producer gets.
 */
export function produceHandler(broker: BrokerContext): Handler<typeof ApiKey.Produce> {
  return async (request, ctx) => {
    const topics = byPartition(request.topicData);
    const entries: ProduceEntry[] = topics.flatMap(([topic, partitions]) =>
      [...partitions].map(([partition, records]) => ({ topic, partition, records })),
    );
    // Topics the principal may not WRITE are refused without entering the pipeline; the others are appended.
    const writable = new Map(topics.map(([topic]) => [topic, ctx.authorize('WRITE', 'TOPIC', topic)]));
    const allowed = entries.filter((e) => writable.get(e.topic));
    const appended: ProduceResult[] = VALID_ACKS.has(request.acks)
      ? await broker.producePipeline.produce(
          allowed,
          { requiredAcks: request.acks, apiVersion: ctx.apiVersion, internalTopicsAllowed: ctx.header.clientId === ADMIN_CLIENT_ID },
          ctx.connection,
        )
      : allowed.map(() => ({ ok: false, error: new ApiError('INVALID_REQUIRED_ACKS', `Invalid required acks: ${request.acks}`) }));
    let next = 0;
    const results: ProduceResult[] = entries.map((e) =>
      writable.get(e.topic)
        ? appended[next++]!
        : { ok: false, error: new ApiError('TOPIC_AUTHORIZATION_FAILED', 'Topic authorization failed.') },
    );
    if (request.acks === 0) {
      const failure = results.find((r) => !r.ok);
      if (failure && !failure.ok) ctx.connection.close(`acks=0 produce failed: ${failure.error.message}`);
      return null;
    }
    const respond = (): ProduceResponse => {
      let i = 0;
      return {
        ...defaultProduceResponse(),
        responses: topics.map(([name, partitions]) => ({
          name,
          partitionResponses: [...partitions.keys()].map((index) => partitionResponse(index, results[i++]!)),
        })),
      };
    };
    const replicating = request.acks === -1 ? awaitReplication(broker, entries, results, request.timeoutMs) : undefined;
    return replicating ? replicating.then(respond) : respond();
  };
}

/**
 * acks=-1: replaces each appended partition's result by the error its replication ended with, if
 * any. Undefined when every partition is settled already (a single broker's always are); else a
 * promise that settles when the ISR has answered or the timeout passed.
 */
function awaitReplication(
  broker: BrokerContext,
  entries: readonly ProduceEntry[],
  results: ProduceResult[],
  timeoutMs: number,
): Promise<void> | undefined {
  const waits: ReplicationWait[] = [];
  const indexes: number[] = [];
  const settle = (i: number, outcome: ErrorName): void => {
    if (outcome === 'NONE') return;
    const { topic, partition } = entries[i]!;
    results[i] = { ok: false, error: new ApiError(outcome, replicationFailure(outcome, `${topic}-${partition}`)) };
  };
  for (const [i, result] of results.entries()) {
    const partition = result.ok ? broker.replicaManager.partition(entries[i]!.topic, entries[i]!.partition) : undefined;
    if (!result.ok || !partition) continue;
    const state = partition.replicationOf(result.nextOffset);
    if (state.done) settle(i, state.error);
    else {
      waits.push({ partition, requiredOffset: result.nextOffset });
      indexes.push(i);
    }
  }
  if (waits.length === 0) return undefined;
  return broker.producePurgatory.wait(waits, timeoutMs).then((outcomes) => {
    for (const [j, outcome] of outcomes.entries()) settle(indexes[j]!, outcome);
  });
}

function replicationFailure(outcome: ErrorName, partition: string): string {
  switch (outcome) {
    case 'NOT_ENOUGH_REPLICAS_AFTER_APPEND':
      return `Messages are written to the log, but to fewer in-sync replicas than required for ${partition}`;
    case 'REQUEST_TIMED_OUT':
      return `The ISR of ${partition} did not acknowledge the records within the request timeout`;
    case 'KAFKA_STORAGE_ERROR':
      return `Partition ${partition} went offline with its log directory before its ISR had the records`;
    default:
      return `This broker stopped leading ${partition} before its ISR had the records`;
  }
}

/** The request's records by topic and partition, each in order of first mention; a later mention replaces the records. */
function byPartition(topicData: readonly ProduceRequestTopicProduceData[]): [string, Map<number, Buffer | null>][] {
  const topics = new Map<string, Map<number, Buffer | null>>();
  for (const topic of topicData) {
    let partitions = topics.get(topic.name);
    if (!partitions) topics.set(topic.name, (partitions = new Map()));
    for (const p of topic.partitionData) partitions.set(p.index, p.records);
  }
  return [...topics];
}

function partitionResponse(index: number, result: ProduceResult): ProduceResponsePartitionProduceResponse {
  const response = { ...defaultProduceResponsePartitionProduceResponse(), index };
  if (!result.ok) {
    const { code, message, recordErrors } = result.error;
    return {
      ...response,
      errorCode: code,
      errorMessage: message,
      recordErrors: recordErrors.map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message })),
    };
  }
  return { ...response, baseOffset: result.baseOffset, logAppendTimeMs: result.logAppendTime, logStartOffset: result.logStartOffset };
}
