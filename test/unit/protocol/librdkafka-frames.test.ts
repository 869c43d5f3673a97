import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameSplitter } from '../../../src/protocol/frame-splitter.js';
import { decodeRequest, encodeRequest, encodeResponse, type DecodedRequest } from '../../../src/protocol/framing.js';
import { defaultApiVersionsResponse } from '../../../src/protocol/generated/apis/api-versions.js';
import { defaultMetadataResponse } from '../../../src/protocol/generated/apis/metadata.js';
import { APIS } from '../../../src/protocol/generated/apis.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { needs } from '../../helpers/requirements.js';

/** Every request frame (size prefix included) that librdkafka sent, with its decoding. */
const received: { frame: Buffer; request: DecodedRequest }[] = [];
let server: Server;
const sockets = new Set<Socket>();
let port: number;

/** Just enough broker for `kcat -L`: ApiVersions and Metadata, answered with our own encoders. */
function answer(req: DecodedRequest): Buffer[] | undefined {
  const { correlationId } = req.header;
  if (req.apiKey === ApiKey.ApiVersions) {
    const advertised = [APIS[ApiKey.ApiVersions], APIS[ApiKey.Metadata]];
    const body = {
      ...defaultApiVersionsResponse(),
      apiKeys: advertised.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion })),
    };
    return encodeResponse(ApiKey.ApiVersions, req.apiVersion, correlationId, body);
  }
  if (req.apiKey === ApiKey.Metadata) {
    const body = {
      ...defaultMetadataResponse(),
      brokers: [{ nodeId: 1, host: '127.0.0.1', port, rack: null }],
      clusterId: 'kts-test',
      controllerId: 1,
    };
    return encodeResponse(ApiKey.Metadata, req.apiVersion, correlationId, body);
  }
  return undefined;
}

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const splitter = new FrameSplitter(1 << 20);
    socket.on('data', (chunk) => {
      for (const frame of splitter.push(chunk)) {
        const request = decodeRequest(frame);
        const prefix = Buffer.alloc(4);
        prefix.writeInt32BE(frame.length, 0);
        received.push({ frame: Buffer.concat([prefix, frame]), request });
        const reply = answer(request);
        if (!reply) continue;
        socket.cork();
        for (const part of reply) socket.write(part);
        socket.uncork();
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function runKcat(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('frames sent by librdkafka (kcat -L)', needs('kcat'), () => {
  it('decode, and re-encode to the same bytes; kcat reads our answers', async () => {
    const result = await runKcat(['-L', '-b', `127.0.0.1:${port}`, '-m', '10'], 20_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 brokers:');
    expect(result.stdout).toContain(`broker 1 at 127.0.0.1:${port}`);

    const keys = new Set(received.map((r) => r.request.apiKey));
    expect(keys).toEqual(new Set([ApiKey.ApiVersions, ApiKey.Metadata]));
    const apiVersions = received.find((r) => r.request.apiKey === ApiKey.ApiVersions)!;
    expect(apiVersions.request.apiVersion).toBeGreaterThanOrEqual(3);
    if (apiVersions.request.apiKey === ApiKey.ApiVersions) {
      expect(apiVersions.request.body.clientSoftwareName).toBe('librdkafka');
    }
    for (const { frame, request } of received) {
      const { header, body } = request;
      const again = Buffer.concat(encodeRequest(request.apiKey, request.apiVersion, header.correlationId, header.clientId, body as never));
      expect(again.toString('hex'), `api ${request.apiKey} v${request.apiVersion}`).toBe(frame.toString('hex'));
    }
  });
});
