import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultAlterConfigsResponse } from '../../protocol/generated/apis/alter-configs.js';
import type { BrokerContext } from './broker-context.js';
import { alterEach } from './config-resources.js';
import type { Handler } from './handler.js';

/**
 * AlterConfigs v0-2 (the legacy API): the entries replace everything set on the topic or broker
 * resource; validate_only checks without changing anything.
 */
export function alterConfigsHandler(broker: BrokerContext): Handler<typeof ApiKey.AlterConfigs> {
  return async (request, ctx) => ({
    ...defaultAlterConfigsResponse(),
    responses: await alterEach(request.resources, ctx.authorize, (type, r) =>
      broker.configAdmin.alter({ type, name: r.resourceName }, r.configs, request.validateOnly),
    ),
  });
}
