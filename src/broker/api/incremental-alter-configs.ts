import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultIncrementalAlterConfigsResponse } from '../../protocol/generated/apis/incremental-alter-configs.js';
import { ApiError } from '../api-error.js';
import { ALTER_CONFIG_OPS } from '../config/incremental-alter.js';
import type { BrokerContext } from './broker-context.js';
import { alterEach } from './config-resources.js';
import type { Handler } from './handler.js';

/** IncrementalAlterConfigs v0-1: SET, DELETE, APPEND and SUBTRACT on topic and broker resources; validate_only checks only. */
export function incrementalAlterConfigsHandler(broker: BrokerContext): Handler<typeof ApiKey.IncrementalAlterConfigs> {
  return async (request, ctx) => ({
    ...defaultIncrementalAlterConfigsResponse(),
    responses: await alterEach(request.resources, ctx.authorize, (type, r) => {
      const changes = r.configs.map((c) => {
        const op = ALTER_CONFIG_OPS[c.configOperation];
        if (op === undefined) throw new ApiError('INVALID_REQUEST', `Unknown operations type ${c.configOperation}`);
        return { name: c.name, op, value: c.value };
      });
      return broker.configAdmin.alterIncrementally({ type, name: r.resourceName }, changes, request.validateOnly);
    }),
  });
}
