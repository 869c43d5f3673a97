import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultDescribeClientQuotasResponse } from '../../protocol/generated/apis/describe-client-quotas.js';
import { toApiError } from '../api-error.js';
import { entityComponents } from '../quota/client-quota-entity.js';
import { parseClientQuotaFilter } from '../quota/client-quota-filter.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * DescribeClientQuotas v0-1 (KIP-546): the user and client-id quota entities the filter matches.
 * A bad filter fails the whole request, entries null, as Kafka answers.
 */
export function describeClientQuotasHandler(broker: BrokerContext): Handler<typeof ApiKey.DescribeClientQuotas> {
  return (request) => {
    try {
      const described = broker.clientQuotas.describe(parseClientQuotaFilter(request.components, request.strict));
      return {
        ...defaultDescribeClientQuotasResponse(),
        errorMessage: null,
        entries: described.map((q) => ({ entity: entityComponents(q.entity), values: q.values.map(([key, value]) => ({ key, value })) })),
      };
    } catch (err) {
      const error = toApiError(err);
      return { ...defaultDescribeClientQuotasResponse(), errorCode: error.code, errorMessage: error.message, entries: null };
    }
  };
}
