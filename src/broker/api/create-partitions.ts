import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultCreatePartitionsResponse } from '../../protocol/generated/apis/create-partitions.js';
import { toApiError } from '../api-error.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/** CreatePartitions v0-3: grows topics (never shrinks), placing new partitions as asked or round-robin. */
export function createPartitionsHandler(broker: BrokerContext): Handler<typeof ApiKey.CreatePartitions> {
  return async (request, ctx) => {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results = [];
    for (const t of request.topics) {
      if (counts.get(t.name)! > 1) {
        results.push({ name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic in request.' });
        continue;
      }
      // ALTER on the topic.
      if (!ctx.authorize('ALTER', 'TOPIC', t.name)) {
        results.push({ name: t.name, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: 'Authorization failed.' });
        continue;
      }
      try {
        await broker.topicAdmin.createPartitions(t.name, t.count, t.assignments?.map((a) => a.brokerIds) ?? null, request.validateOnly);
        results.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        const error = toApiError(err);
        results.push({ name: t.name, errorCode: error.code, errorMessage: error.message });
      }
    }
    return { ...defaultCreatePartitionsResponse(), results };
  };
}
