import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultInitProducerIdResponse } from '../../protocol/generated/apis/init-producer-id.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * InitProducerId v0-5 for idempotent producers: a fresh producer id at epoch 0 (Kafka ignores
 * the id and epoch an idempotent producer sends back). Transactional ids need the transaction
 * coordinator, which this broker does not have: TRANSACTIONAL_ID_NOT_FOUND is non-retriable, so
 * clients stop with an error instead of retrying until they time out.
 */
export function initProducerIdHandler(broker: BrokerContext): Handler<typeof ApiKey.InitProducerId> {
  return async (request, ctx) => {
    if (request.transactionalId !== null) {
      return { ...defaultInitProducerIdResponse(), errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND };
    }
    // An idempotent producer needs IDEMPOTENT_WRITE on the cluster, or WRITE on some topic (KIP-679).
    if (!ctx.authorize('IDEMPOTENT_WRITE', 'CLUSTER', CLUSTER_NAME) && !ctx.authorizeAny('WRITE', 'TOPIC')) {
      return { ...defaultInitProducerIdResponse(), errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED };
    }
    return { ...defaultInitProducerIdResponse(), producerId: await broker.producerIds.generateProducerId(), producerEpoch: 0 };
  };
}
