import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultProduceResponse,
  defaultProduceResponsePartitionProduceResponse,
  type ProduceResponsePartitionProduceResponse,
} from '../../protocol/generated/apis/produce.js';
import { ApiError } from '../api-error.js';
import type { ProduceEntry, ProduceResult } from '../partition/replica-manager.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

const VALID_ACKS = new Set([-1, 0, 1]);
/** Kafka lets only its own admin client write to internal topics. */
const ADMIN_CLIENT_ID = '__admin_client';

/**
 * Produce v0-11: each partition's records are validated (v0-2 message sets up-converted to one v2
 * batch) and appended on their own, answered with the base offset, the LogAppendTime stamp and the
 * log start offset, or an error (from v8 with the records to blame). acks=0 gets no response; as
 * Kafka does, a failure then closes the connection, the only signal such a producer gets.
 */
export function produceHandler(broker: BrokerContext): Handler<typeof ApiKey.Produce> {
  return (request, ctx) => {
    const entries: ProduceEntry[] = request.topicData.flatMap((topic) =>
      topic.partitionData.map((p) => ({ topic: topic.name, partition: p.index, records: p.records })),
    );
    const results: ProduceResult[] = VALID_ACKS.has(request.acks)
      ? broker.replicaManager.appendRecords(entries, {
          requiredAcks: request.acks,
          apiVersion: ctx.apiVersion,
          internalTopicsAllowed: ctx.header.clientId === ADMIN_CLIENT_ID,
        })
      : entries.map(() => ({ ok: false, error: new ApiError('INVALID_REQUIRED_ACKS', `Invalid required acks: ${request.acks}`) }));
    if (request.acks === 0) {
      const failure = results.find((r) => !r.ok);
      if (failure && !failure.ok) ctx.connection.close(`acks=0 produce failed: ${failure.error.message}`);
      return null;
    }
    let i = 0;
    return {
      ...defaultProduceResponse(),
      responses: request.topicData.map((topic) => ({
        name: topic.name,
        partitionResponses: topic.partitionData.map((p) => partitionResponse(p.index, results[i++]!)),
      })),
    };
  };
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
