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
import type { ProduceEntry, ProduceResult, ProduceToVerify } from '../partition/replica-manager.js';
import type { BrokerContext } from './broker-context.js';
import type { Authorize, Handler } from './handler.js';

const VALID_ACKS = new Set([-1, 0, 1]);
/** Kafka lets only its own admin client write to internal topics. */
const ADMIN_CLIENT_ID = '__admin_client';

/**
 * Produce v0-11: a topic the principal may not WRITE is answered TOPIC_AUTHORIZATION_FAILED for
 * each of its partitions; every other partition's records are validated (v0-2 message sets
 * up-converted to one v2 batch) and appended on their own, answered with the base offset, the LogAppendTime stamp and the
 * log start offset, or an error (from v8 with the records to blame). A partition named more than
 * once is one entry, the last one, answered once, as Kafka keys the request by partition. A
 * producer's first transactional batch on a partition is verified with its coordinator first
 * (KIP-890). acks=-1 is answered once the ISR has the records (at once on a single broker), or on
 * the request's timeout. acks=0 gets no response; as Kafka does, a failure then closes the
 * connection, the only signal such a producer gets.
 */
export function produceHandler(broker: BrokerContext): Handler<typeof ApiKey.Produce> {
  return async (request, ctx) => {
    const topics = byPartition(request.topicData);
    const entries: ProduceEntry[] = topics.flatMap(([topic, partitions]) =>
      [...partitions].map(([partition, records]) => ({ topic, partition, records })),
    );
    const refused = refusedTopics(request.transactionalId, topics, ctx.authorize);
    const allowed = entries.filter((e) => !refused.has(e.topic));
    const toVerify =
      request.transactionalId !== null && broker.config().values['transaction.partition.verification.enable']
        ? broker.replicaManager.transactionalProducesToVerify(allowed)
        : [];
    if (toVerify.length > 0) await verifyTransactions(broker, request.transactionalId!, allowed, toVerify, ctx.apiVersion);
    const appended: ProduceResult[] = VALID_ACKS.has(request.acks)
      ? await broker.producePipeline.produce(
          allowed,
          { requiredAcks: request.acks, apiVersion: ctx.apiVersion, internalTopicsAllowed: ctx.header.clientId === ADMIN_CLIENT_ID },
          ctx.connection,
        )
      : allowed.map(() => ({ ok: false, error: new ApiError('INVALID_REQUIRED_ACKS', `Invalid required acks: ${request.acks}`) }));
    let next = 0;
    const results: ProduceResult[] = entries.map((e) => refused.get(e.topic) ?? appended[next++]!);
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
 * The topics whose partitions are refused without entering the pipeline, with their answer: every
 * topic when the principal may not WRITE the request's transactional id, else those it may not WRITE
 * (Kafka's KafkaApis.handleProduceRequest).
 */
function refusedTopics(
  transactionalId: string | null,
  topics: readonly (readonly [string, unknown])[],
  authorize: Authorize,
): Map<string, ProduceResult> {
  const refused = new Map<string, ProduceResult>();
  const transactionDenied = transactionalId !== null && !authorize('WRITE', 'TRANSACTIONAL_ID', transactionalId);
  for (const [topic] of topics) {
    if (transactionDenied) {
      refused.set(topic, {
        ok: false,
        error: new ApiError('TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'Transactional Id authorization failed.'),
      });
    } else if (!authorize('WRITE', 'TOPIC', topic)) {
      refused.set(topic, { ok: false, error: new ApiError('TOPIC_AUTHORIZATION_FAILED', 'Topic authorization failed.') });
    }
  }
  return refused;
}

/** The Produce version that learned TRANSACTION_ABORTABLE (KIP-890 part 2); older clients get INVALID_TXN_STATE. */
const ABORTABLE_PRODUCE_VERSION = 11;

/**
 * KIP-890 part 1 (Kafka's handleProduceAppend): the producer's coordinator confirms each partition
 * is in its open transaction before the first transactional batch there is appended; a partition
 * it does not confirm is refused (with Kafka's mapping of the coordinator's answer), the others
 * carry the producer's verification guard into the append.
 */
async function verifyTransactions(
  broker: BrokerContext,
  transactionalId: string,
  entries: ProduceEntry[],
  toVerify: readonly ProduceToVerify[],
  version: number,
): Promise<void> {
  const byProducer = new Map<string, ProduceToVerify[]>();
  for (const v of toVerify) {
    const key = `${v.producerId}:${v.producerEpoch}`;
    byProducer.set(key, [...(byProducer.get(key) ?? []), v]);
  }
  for (const group of byProducer.values()) {
    const { producerId, producerEpoch } = group[0]!;
    const answers = await broker.txnVerifier.verify(transactionalId, { producerId, producerEpoch }, group);
    for (const v of group) {
      const error = produceError(answers.get(`${v.topic}-${v.partition}`) ?? 'NONE', version);
      const entry = entries[v.index]!;
      if (error === 'NONE') entry.verificationGuard = v.guard;
      else
        entry.refusal = new ApiError(
          error,
          `The transaction of producer ${producerId} could not be verified for ${v.topic}-${v.partition}`,
        );
    }
  }
}

function produceError(verification: ErrorName, version: number): ErrorName {
  switch (verification) {
    case 'PRODUCER_FENCED':
      return 'INVALID_PRODUCER_EPOCH';
    case 'TRANSACTION_ABORTABLE':
      return version >= ABORTABLE_PRODUCE_VERSION ? verification : 'INVALID_TXN_STATE';
    case 'CONCURRENT_TRANSACTIONS':
    case 'NETWORK_EXCEPTION':
    case 'COORDINATOR_LOAD_IN_PROGRESS':
    case 'COORDINATOR_NOT_AVAILABLE':
    case 'NOT_COORDINATOR':
      // Retriable for every client version, as Kafka maps them.
      return 'NOT_ENOUGH_REPLICAS';
    default:
      return verification;
  }
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
