import { GENERATED_BANNER } from './emit-file.js';
import { propertyName } from './naming.js';
import type { MessageSpec } from './schema.js';

export interface ApiPair {
  readonly name: string;
  readonly file: string;
  readonly request: MessageSpec;
  readonly response: MessageSpec;
}

/** `api-info.ts`: the ApiKey enum and what the schemas say about each key, without codecs. */
export function emitApiInfo(apis: ApiPair[]): string {
  const lines = [
    `// ${GENERATED_BANNER}. Do not edit.`,
    "import type { ApiInfo } from '../api-descriptor.js';",
    '',
    'export const ApiKey = {',
    ...apis.map((api) => `  ${api.name}: ${api.request.apiKey},`),
    '} as const;',
    'export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];',
    '',
    'export const API_INFO: { readonly [K in ApiKey]: ApiInfo } = {',
  ];
  for (const { name, request: rq } of apis) {
    const flexibleFrom = rq.flexibleVersions === null ? 'null' : String(rq.flexibleVersions.lo);
    lines.push(
      `  ${rq.apiKey}: {`,
      `    apiKey: ${rq.apiKey},`,
      `    name: '${name}',`,
      `    minVersion: ${rq.validVersions.lo},`,
      `    maxVersion: ${rq.validVersions.hi},`,
      `    flexibleFrom: ${flexibleFrom},`,
      `    latestVersionUnstable: ${rq.latestVersionUnstable},`,
      `    listeners: [${rq.listeners.map((l) => `'${l}'`).join(', ')}],`,
      '  },',
    );
  }
  lines.push('};', '');
  return lines.join('\n');
}

/** The name of the codec table an API module exports, e.g. `produceCodec`. */
export function codecName(api: ApiPair): string {
  return `${propertyName(api.name)}Codec`;
}

/** The lines an API module ends with: its codecs as one ApiCodec. */
export function emitApiCodec(api: ApiPair): string {
  const { request: rq, response: rs } = api;
  return [
    `export const ${codecName(api)}: ApiCodec<${rq.name}, ${rs.name}> = {`,
    `  encodeRequest: encode${rq.name},`,
    `  decodeRequest: decode${rq.name},`,
    `  encodeResponse: encode${rs.name},`,
    `  decodeResponse: decode${rs.name},`,
    '};',
  ].join('\n');
}

/** `apis.ts`: the per-key message types and the full descriptor table (every API's codecs), ordered by key. */
export function emitApiIndex(apis: ApiPair[]): string {
  const ns = (api: ApiPair) => `${propertyName(api.name)}Api`;
  const lines = [
    `// ${GENERATED_BANNER}. Do not edit.`,
    "import type { ApiDescriptor } from '../api-descriptor.js';",
    "import { API_INFO, type ApiKey } from './api-info.js';",
    ...apis.map((api) => `import * as ${ns(api)} from './apis/${api.file}.js';`),
    '',
    '/** Request and response body types by API key. */',
    'export interface ApiMessages {',
    ...apis.map(
      (api) => `  ${api.request.apiKey}: { request: ${ns(api)}.${api.request.name}; response: ${ns(api)}.${api.response.name} };`,
    ),
    '}',
    '',
    'export type ApiTable = {',
    "  readonly [K in ApiKey]: ApiDescriptor<ApiMessages[K]['request'], ApiMessages[K]['response']>;",
    '};',
    '',
    'export const APIS: ApiTable = {',
    ...apis.map((api) => `  ${api.request.apiKey}: { ...API_INFO[${api.request.apiKey}], ...${ns(api)}.${codecName(api)} },`),
    '};',
    '',
  ];
  return lines.join('\n');
}
