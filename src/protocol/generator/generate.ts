import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitMessagesFile } from './emit-file.js';
import { emitApiCodec, emitApiIndex, emitApiInfo, type ApiPair } from './emit-index.js';
import { apiName, fileName } from './naming.js';
import { loadMessage, type MessageSpec } from './schema.js';

/** Record schemas written to the broker's internal topics, each generated into its own folder. */
const RECORD_DIRS = ['group-coordinator', 'transaction-coordinator'] as const;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Every generated file, keyed by its path relative to the output folder. Pure: same input, same output. */
export function generate(schemasDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const messagesDir = join(schemasDir, 'messages');
  const byKey = new Map<number, { request?: MessageSpec; response?: MessageSpec }>();
  const headers: MessageSpec[] = [];

  for (const file of jsonFiles(messagesDir)) {
    const msg = loadMessage(join(messagesDir, file));
    if (msg.type === 'request' || msg.type === 'response') {
      const pair = byKey.get(msg.apiKey!) ?? {};
      pair[msg.type] = msg;
      byKey.set(msg.apiKey!, pair);
    } else if (msg.type === 'header') {
      headers.push(msg);
    } else {
      out.set(`data/${fileName(msg.name)}.ts`, emitMessagesFile([msg], [file], '../../primitives'));
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
    for (const file of jsonFiles(join(schemasDir, dir))) {
      const msg = loadMessage(join(schemasDir, dir, file));
      out.set(`${dir}/${fileName(msg.name)}.ts`, emitMessagesFile([msg], [file], '../../primitives'));
    }
  }
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
