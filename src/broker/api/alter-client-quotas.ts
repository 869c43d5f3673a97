import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultAlterClientQuotasResponse } from '../../protocol/generated/apis/alter-client-quotas.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/** AlterClientQuotas v0-1: each entry answered on its own, echoing its entity; validate_only checks only. */
export function alterClientQuotasHandler(broker: BrokerContext): Handler<typeof ApiKey.AlterClientQuotas> {
  return async (request) => {
    const errors = await broker.clientQuotas.alter(request.entries, request.validateOnly);
    return {
      ...defaultAlterClientQuotasResponse(),
      entries: request.entries.map((entry, i) => ({
        errorCode: errors[i]?.code ?? ErrorCode.NONE,
        errorMessage: errors[i]?.message ?? null,
        entity: entry.entity.map((e) => ({ entityType: e.entityType, entityName: e.entityName })),
      })),
    };
  };
}
