import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitMessagesFile } from './emit-file.js';
import { emitApiCodec, emitApiIndex, emitApiInfo, type ApiPair } from './emit-index.js';
import { emitSchemaModel, readSchemas, RECORD_DIRS, SCHEMA_MODEL_FILE, type RawSchemas } from './model.js';
import { apiName, fileName } from './naming.js';
import { buildMessage, type MessageSpec } from './schema.js';

/** Every generated file, keyed by its path relative to the output folder. Pure: same input, same output. */
export function generate(schemasDir: string): Map<string, string> {
  return generateFrom(readSchemas(schemasDir));
}

function generateFrom(schemas: RawSchemas): Map<string, string> {
  const out = new Map<string, string>();
  const byKey = new Map<number, { request?: MessageSpec; response?: MessageSpec }>();
  const headers: MessageSpec[] = [];

  for (const msg of schemas.messages.map(buildMessage)) {
    if (msg.type === 'request' || msg.type === 'response') {
      const pair = byKey.get(msg.apiKey!) ?? {};
      pair[msg.type] = msg;
      byKey.set(msg.apiKey!, pair);
    } else if (msg.type === 'header') {
      headers.push(msg);
    } else {
      out.set(`data/${fileName(msg.name)}.ts`, emitMessagesFile([msg], [`${msg.name}.json`], '../../primitives', undefined, true));
    }
  }

  const apis: ApiPair[] = [...byKey.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, { request, response }]) => {
      if (!request || !response) throw new Error(`api key ${key} lacks a request or a response schema`);
      return { name: apiName(request.name), file: fileName(apiName(request.name)), request, response };
    });
  for (const api of apis) {
    const sources = [`${api.request.name}.json`, `${api.response.name}.json`];
    out.set(`apis/${api.file}.ts`, emitMessagesFile([api.request, api.response], sources, '../../primitives', emitApiCodec(api)));
  }
  out.set('api-info.ts', emitApiInfo(apis));
  out.set('apis.ts', emitApiIndex(apis));
  out.set(
    'headers.ts',
    emitMessagesFile(
      headers,
      headers.map((h) => `${h.name}.json`),
      '../primitives',
    ),
  );

  for (const dir of RECORD_DIRS) {
    for (const msg of schemas[dir].map(buildMessage)) {
      out.set(`${dir}/${fileName(msg.name)}.ts`, emitMessagesFile([msg], [`${msg.name}.json`], '../../primitives', undefined, true));
    }
  }
  out.set(SCHEMA_MODEL_FILE, emitSchemaModel(schemas));
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Replaces `outDir` with exactly the generated files, so renamed schemas leave nothing behind. */
export function writeGenerated(outDir: string, files: Map<string, string>): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const [path, content] of files) {
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
