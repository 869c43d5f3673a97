import { ErrorCode } from '../../protocol/errors.js';
import { API_INFO, ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultApiVersionsResponse,
  type ApiVersionsResponse,
  type ApiVersionsResponseApiVersion,
} from '../../protocol/generated/apis/api-versions.js';
import { type Handler, type HandlerTable, servedVersions } from './handler.js';

/**
 * The version ranges the broker advertises: every API it has a handler for, over the versions
 * both the handler and the generated codecs cover, minus a still-unstable latest version unless enabled.
 */
export function advertisedApiVersions(handlers: HandlerTable, unstableEnabled: boolean): ApiVersionsResponseApiVersion[] {
  return (Object.keys(handlers).map(Number) as ApiKey[])
    .sort((a, b) => a - b)
    .flatMap((apiKey) => {
      const served = servedVersions(handlers, apiKey);
      if (served === undefined) return [];
      const api = API_INFO[apiKey];
      const maxVersion =
        api.latestVersionUnstable && !unstableEnabled ? Math.min(served.maxVersion, api.maxVersion - 1) : served.maxVersion;
      return maxVersion < served.minVersion ? [] : [{ apiKey, minVersion: served.minVersion, maxVersion }];
    });
}

export function apiVersionsHandler(advertised: () => ApiVersionsResponseApiVersion[]): Handler<typeof ApiKey.ApiVersions> {
  return () => ({ ...defaultApiVersionsResponse(), apiKeys: advertised() });
}

/** The v0 answer to an ApiVersions request of a version we don't serve: the client retries lower (KIP-511). */
export function unsupportedApiVersionsResponse(handlers: HandlerTable): ApiVersionsResponse {
  const served = servedVersions(handlers, ApiKey.ApiVersions)!;
  return {
    ...defaultApiVersionsResponse(),
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: [{ apiKey: ApiKey.ApiVersions, ...served }],
  };
}
