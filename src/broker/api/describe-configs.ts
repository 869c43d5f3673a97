import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultDescribeConfigsResponse,
  defaultDescribeConfigsResponseDescribeConfigsResult,
  type DescribeConfigsResponseDescribeConfigsResourceResult,
} from '../../protocol/generated/apis/describe-configs.js';
import { ApiError, toApiError } from '../api-error.js';
import { CONFIG_TYPE_CODE } from '../config/config-def.js';
import { CONFIG_SOURCE_CODE, type DescribedConfig } from '../config/describe-configs.js';
import type { BrokerContext } from './broker-context.js';
import { checkConfigAccess, configResourceType, resourceTypeName } from './config-resources.js';
import type { Handler } from './handler.js';

/**
 * DescribeConfigs v0-4 for topics and brokers (this broker's id, or `''` for the cluster
 * defaults): synonyms from v1 when asked, documentation from v3 when asked; no or empty
 * configuration_keys means every key. Each resource fails on its own.
 */
export function describeConfigsHandler(broker: BrokerContext): Handler<typeof ApiKey.DescribeConfigs> {
  return (request, ctx) => ({
    ...defaultDescribeConfigsResponse(),
    results: request.resources.map((r) => {
      const result = {
        ...defaultDescribeConfigsResponseDescribeConfigsResult(),
        resourceType: r.resourceType,
        resourceName: r.resourceName,
      };
      try {
        const type = configResourceType(r.resourceType);
        if (type === undefined) throw new ApiError('INVALID_REQUEST', `Unsupported resource type: ${resourceTypeName(r.resourceType)}`);
        checkConfigAccess(type, r.resourceName, 'DESCRIBE_CONFIGS', ctx.authorize);
        const entries = broker.configAdmin.describe(
          { type, name: r.resourceName },
          {
            names: r.configurationKeys === null || r.configurationKeys.length === 0 ? null : r.configurationKeys,
            includeSynonyms: request.includeSynonyms,
            includeDocumentation: request.includeDocumentation,
          },
        );
        return { ...result, configs: entries.map((c) => encodeEntry(c, ctx.apiVersion)) };
      } catch (err) {
        const error = toApiError(err);
        return { ...result, errorCode: error.code, errorMessage: error.message };
      }
    }),
  });
}

/** v0 says IsDefault where later versions give the source. */
function encodeEntry(c: DescribedConfig, version: number): DescribeConfigsResponseDescribeConfigsResourceResult {
  return {
    name: c.name,
    value: c.value,
    readOnly: c.readOnly,
    isDefault: version === 0 && c.source === 'DEFAULT_CONFIG',
    configSource: CONFIG_SOURCE_CODE[c.source],
    isSensitive: c.isSensitive,
    synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: CONFIG_SOURCE_CODE[s.source] })),
    configType: CONFIG_TYPE_CODE[c.type],
    documentation: c.documentation,
  };
}
