import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { FrameSplitter } from '../../../src/protocol/frame-splitter.js';
import { decodeRequest, encodeResponse, type DecodedRequest } from '../../../src/protocol/framing.js';
import { APIS, type ApiMessages } from '../../../src/protocol/generated/apis.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultApiVersionsResponse, type ApiVersionsResponse } from '../../../src/protocol/generated/apis/api-versions.js';

/** What a scripted node answers: the response body, or undefined to leave the request unanswered. */
export type Script = (node: number, request: DecodedRequest) => Promise<ApiMessages[ApiKey]['response'] | undefined>;

export interface ScriptedCluster {
  /** Port of each node id. */
  readonly ports: readonly number[];
  /** Requests received, in order. */
  readonly log: Array<{ node: number; apiKey: ApiKey }>;
  close(): Promise<void>;
}

/** Versions the scripted nodes advertise: enough for the consumer, Fetch below topic ids (v13). */
const VERSIONS: ReadonlyArray<[ApiKey, number]> = [
  [ApiKey.ApiVersions, 3],
  [ApiKey.Metadata, 12],
  [ApiKey.ListOffsets, 8],
  [ApiKey.Fetch, 12],
];

/**
 * Brokers whose answers a test scripts (leader moves, errors) over kts's real protocol codecs:
 * one TCP server per node on 127.0.0.1. ApiVersions is answered here, listing the consumer's APIs
 * and `more` (API, highest version), with `apiVersions`' other fields; `script` answers the rest.
 */
export async function startScriptedCluster(
  nodes: number,
  script: Script,
  more: ReadonlyArray<[ApiKey, number]> = [],
  /** More of the ApiVersions answer (features). */
  apiVersions: Partial<ApiVersionsResponse> = {},
): Promise<ScriptedCluster> {
  const versions = [...VERSIONS, ...more];
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const log: Array<{ node: number; apiKey: ApiKey }> = [];
  for (let node = 0; node < nodes; node++) {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      const frames = new FrameSplitter(64 << 20);
      // Answered one after the other: responses must keep the order of pipelined requests.
      let answering = Promise.resolve();
      const answer = async (frame: Buffer): Promise<void> => {
        const request = decodeRequest(frame);
        log.push({ node, apiKey: request.apiKey });
        const body =
          request.apiKey === ApiKey.ApiVersions
            ? {
                ...defaultApiVersionsResponse(),
                ...apiVersions,
                apiKeys: versions.map(([apiKey, maxVersion]) => ({ apiKey, minVersion: APIS[apiKey].minVersion, maxVersion })),
              }
            : await script(node, request);
        if (body === undefined || socket.destroyed) return;
        for (const chunk of encodeResponse(request.apiKey, request.apiVersion, request.header.correlationId, body as never))
          socket.write(chunk);
      };
      socket.on('data', (data: Buffer) => {
        for (const frame of frames.push(data)) answering = answering.then(() => answer(frame));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return {
    ports: servers.map((s) => (s.address() as AddressInfo).port),
    log,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
