import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultInitProducerIdResponse } from '../../protocol/generated/apis/init-producer-id.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * InitProducerId v0-5. Without a transactional id: a fresh producer id at epoch 0 (Kafka ignores
 * the id and epoch an idempotent producer sends back). With one: the transaction coordinator's
 * answer (the id's producer id with its epoch bumped, fencing older producers; v3+ may name the
 * producer id and epoch it had, KIP-360).
 */
export function initProducerIdHandler(broker: BrokerContext): Handler<typeof ApiKey.InitProducerId> {
  return async (request, ctx) => {
    if (request.transactionalId === null) {
      // An idempotent producer needs IDEMPOTENT_WRITE on the cluster, or WRITE on some topic (KIP-679).
      if (!ctx.authorize('IDEMPOTENT_WRITE', 'CLUSTER', CLUSTER_NAME) && !ctx.authorizeAny('WRITE', 'TOPIC')) {
        return { ...defaultInitProducerIdResponse(), errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED };
      }
      return { ...defaultInitProducerIdResponse(), producerId: await broker.producerIds.generateProducerId(), producerEpoch: 0 };
    }
    if (!ctx.authorize('WRITE', 'TRANSACTIONAL_ID', request.transactionalId)) {
      return { ...defaultInitProducerIdResponse(), errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    }
    const { error, producerId, producerEpoch } = await broker.transactionCoordinator.initProducerId(
      request.transactionalId,
      request.transactionTimeoutMs,
      { producerId: request.producerId, producerEpoch: request.producerEpoch },
      ctx.apiVersion,
    );
    return { ...defaultInitProducerIdResponse(), errorCode: ErrorCode[error], producerId, producerEpoch };
  };
}
