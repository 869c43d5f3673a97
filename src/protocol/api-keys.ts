import type { ApiInfo } from './api-descriptor.js';
import { API_INFO, type ApiKey } from './generated/api-info.js';

/** Whether `apiKey`, read off the wire, names an API the schemas define. */
export function isApiKey(apiKey: number): apiKey is ApiKey {
  return Object.hasOwn(API_INFO, apiKey);
}

/** What the schemas say about a key read off the wire, or undefined when no such API exists. */
export function apiInfo(apiKey: number): ApiInfo | undefined {
  return isApiKey(apiKey) ? API_INFO[apiKey] : undefined;
}
