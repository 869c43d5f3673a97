import { ErrorCode } from '../../protocol/errors.js';
import { API_INFO, ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultApiVersionsResponse,
  type ApiVersionsResponse,
  type ApiVersionsResponseApiVersion,
} from '../../protocol/generated/apis/api-versions.js';
import type { Handler, HandlerTable } from './handler.js';

/**
 * The version ranges the broker advertises: every API it has a handler for, over the versions
 * the generated codecs cover, minus a still-unstable latest version unless enabled.
 */
export function advertisedApiVersions(handlers: HandlerTable, unstableEnabled: boolean): ApiVersionsResponseApiVersion[] {
  return Object.keys(handlers)
    .map(Number)
    .sort((a, b) => a - b)
    .map((key) => {
      const api = API_INFO[key as ApiKey];
      const maxVersion = api.latestVersionUnstable && !unstableEnabled ? api.maxVersion - 1 : api.maxVersion;
      return { apiKey: key, minVersion: api.minVersion, maxVersion };
    });
}

export function apiVersionsHandler(advertised: () => ApiVersionsResponseApiVersion[]): Handler<typeof ApiKey.ApiVersions> {
  return () => ({ ...defaultApiVersionsResponse(), apiKeys: advertised() });
}

/** The v0 answer to an ApiVersions request of a version we don't know: the client retries lower (KIP-511). */
export function unsupportedApiVersionsResponse(): ApiVersionsResponse {
  const api = API_INFO[ApiKey.ApiVersions];
  return {
    ...defaultApiVersionsResponse(),
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: [{ apiKey: ApiKey.ApiVersions, minVersion: api.minVersion, maxVersion: api.maxVersion }],
  };
}
