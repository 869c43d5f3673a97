import type { ApiKey } from '../protocol/generated/api-info.js';
import type { ApiMessages } from '../protocol/generated/apis.js';

/**
 * What the steps that set a connection up (ApiVersions, SASL) need of it: requests at a version of
 * their choosing, and whether it has failed. RawKafkaConnection runs those steps on itself.
 */
export interface KafkaRequester {
  request<K extends ApiKey>(apiKey: K, version: number, body: ApiMessages[K]['request']): Promise<ApiMessages[K]['response']>;
  readonly failed: boolean;
}
