import { GENERATED_BANNER } from './emit-file.js';
import { propertyName } from './naming.js';
import type { MessageSpec } from './schema.js';

export interface ApiPair {
  readonly name: string;
  readonly file: string;
  readonly request: MessageSpec;
  readonly response: MessageSpec;
}

/** `apis.ts`: the ApiKey enum, the per-key message types and the descriptor table, ordered by key. */
export function emitApiIndex(apis: ApiPair[]): string {
  const ns = (api: ApiPair) => `${propertyName(api.name)}Api`;
  const lines = [
    `// ${GENERATED_BANNER}. Do not edit.`,
    "import type { ApiDescriptor } from '../api-descriptor.js';",
    ...apis.map((api) => `import * as ${ns(api)} from './apis/${api.file}.js';`),
    '',
    'export const ApiKey = {',
    ...apis.map((api) => `  ${api.name}: ${api.request.apiKey},`),
    '} as const;',
    'export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];',
    '',
    '/** Request and response body types by API key. */',
    'export interface ApiMessages {',
    ...apis.map(
      (api) =>
        `  ${api.request.apiKey}: { request: ${ns(api)}.${api.request.name}; response: ${ns(api)}.${api.response.name} };`,
    ),
    '}',
    '',
    'export type ApiTable = {',
    "  readonly [K in ApiKey]: ApiDescriptor<ApiMessages[K]['request'], ApiMessages[K]['response']>;",
    '};',
    '',
    'export const APIS: ApiTable = {',
  ];
  for (const api of apis) {
    const { request: rq, response: rs } = api;
    const flexibleFrom = rq.flexibleVersions === null ? 'null' : String(rq.flexibleVersions.lo);
    lines.push(
      `  ${rq.apiKey}: {`,
      `    apiKey: ${rq.apiKey},`,
      `    name: '${api.name}',`,
      `    minVersion: ${rq.validVersions.lo},`,
      `    maxVersion: ${rq.validVersions.hi},`,
      `    flexibleFrom: ${flexibleFrom},`,
      `    latestVersionUnstable: ${rq.latestVersionUnstable},`,
      `    listeners: [${rq.listeners.map((l) => `'${l}'`).join(', ')}],`,
      `    encodeRequest: ${ns(api)}.encode${rq.name},`,
      `    decodeRequest: ${ns(api)}.decode${rq.name},`,
      `    encodeResponse: ${ns(api)}.encode${rs.name},`,
      `    decodeResponse: ${ns(api)}.decode${rs.name},`,
      '  },',
    );
  }
  lines.push('};', '');
  return lines.join('\n');
}
