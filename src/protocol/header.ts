import { apiInfo } from './api-keys.js';
import { ApiKey } from './generated/api-info.js';
import type { RequestHeader } from './generated/headers.js';
import { ProtocolError, type ProtocolErrorCode } from './primitives/protocol-error.js';

export type RequestHeaderVersion = 0 | 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

/**
 * Kafka's rule (ApiMessageTypeGenerator.generateHeaderVersion): flexible request versions use
 * header v2, others v1; ControlledShutdown v0 predates the client id and uses v0. Versions above
 * an API's range follow its flexible rule too, so a too-new ApiVersions request stays parseable.
 * Unknown API keys are read as v1, which is a prefix of v2.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): RequestHeaderVersion {
  if (apiKey === ApiKey.ControlledShutdown && apiVersion === 0) return 0;
  const flexibleFrom = apiInfo(apiKey)?.flexibleFrom ?? null;
  return flexibleFrom !== null && apiVersion >= flexibleFrom ? 2 : 1;
}

/** Flexible responses use header v1, except ApiVersions, always v0 so any client can read it (KIP-511). */
export function responseHeaderVersion(apiKey: number, apiVersion: number): ResponseHeaderVersion {
  if (apiKey === ApiKey.ApiVersions) return 0;
  const flexibleFrom = apiInfo(apiKey)?.flexibleFrom ?? null;
  return flexibleFrom !== null && apiVersion >= flexibleFrom ? 1 : 0;
}

/** A readable header naming an API or version we cannot decode: enough to send an error reply. */
export class UnsupportedRequestError extends ProtocolError {
  constructor(
    code: Extract<ProtocolErrorCode, 'UNKNOWN_API_KEY' | 'UNSUPPORTED_VERSION'>,
    message: string,
    readonly header: RequestHeader,
  ) {
    super(code, message);
    this.name = 'UnsupportedRequestError';
  }
}
