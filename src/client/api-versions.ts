import { ErrorCode } from '../protocol/errors.js';
import { API_INFO, ApiKey } from '../protocol/generated/api-info.js';
import type { ApiVersionsResponse } from '../protocol/generated/apis/api-versions.js';
import type { KafkaRequester } from './kafka-requester.js';

/** The version range a broker supports for each API key it listed. */
export type BrokerVersions = ReadonlyMap<number, { readonly min: number; readonly max: number }>;

/** The newest ApiVersions kts speaks; older brokers answer it in v0 form with UNSUPPORTED_VERSION. */
const API_VERSIONS_VERSION = 3;

/**
 * Asks the broker which versions it supports (KIP-511: the client's name and version go along).
 * A broker that cannot read v3 answers with its list in v0 form, which is then asked again in v0.
 */
export async function fetchBrokerVersions(conn: KafkaRequester, softwareVersion: string): Promise<BrokerVersions> {
  const request = { clientSoftwareName: 'kts', clientSoftwareVersion: softwareVersion };
  let response: ApiVersionsResponse | undefined;
  try {
    response = await conn.request(ApiKey.ApiVersions, API_VERSIONS_VERSION, request);
  } catch (err) {
    if (conn.failed) throw err;
    response = undefined;
  }
  if (response === undefined || response.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
    response = await conn.request(ApiKey.ApiVersions, 0, request);
  }
  if (response.errorCode !== ErrorCode.NONE) throw new Error(`ApiVersions failed with error code ${response.errorCode}`);
  return new Map(response.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
}

/** The highest version of `apiKey` both sides speak, or undefined when the ranges do not meet. */
export function commonVersion(versions: BrokerVersions, apiKey: ApiKey): number | undefined {
  const theirs = versions.get(apiKey);
  const ours = API_INFO[apiKey];
  if (theirs === undefined) return undefined;
  const version = Math.min(theirs.max, ours.maxVersion);
  return version >= Math.max(theirs.min, ours.minVersion) ? version : undefined;
}
