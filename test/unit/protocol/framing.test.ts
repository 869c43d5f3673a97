import { describe, expect, it } from 'vitest';
import { FrameSplitter } from '../../../src/protocol/frame-splitter.js';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../../src/protocol/framing.js';
import { defaultApiVersionsResponse } from '../../../src/protocol/generated/apis/api-versions.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { requestHeaderVersion, responseHeaderVersion, UnsupportedRequestError } from '../../../src/protocol/header.js';
import { ProtocolError } from '../../../src/protocol/primitives/protocol-error.js';
import { Writer } from '../../../src/protocol/primitives/writer.js';

const frameBody = (chunks: Buffer[]) => Buffer.concat(chunks).subarray(4);

describe('header versions', () => {
  // Kafka's rule: v2/v1 from an API's first flexible version on, v1/v0 before, with two exceptions.
  // The drift test checks every API and version against the schema folder's table.
  it.each([
    ['Produce v8', ApiKey.Produce, 8, [1, 0]],
    ['Produce v9 (flexible)', ApiKey.Produce, 9, [2, 1]],
    ['Metadata v9 (flexible)', ApiKey.Metadata, 9, [2, 1]],
    ['ControlledShutdown v0 (header v0)', ApiKey.ControlledShutdown, 0, [0, 0]],
    ['ApiVersions v3 (response header always v0)', ApiKey.ApiVersions, 3, [2, 0]],
  ] as const)('%s', (_, key, version, expected) => {
    expect([requestHeaderVersion(key, version), responseHeaderVersion(key, version)]).toEqual(expected);
  });
});

describe('request and response frames', () => {
  it('round-trips a request through encodeRequest/decodeRequest', () => {
    const body = { ...defaultMetadataRequest(), topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 't' }] };
    const chunks = encodeRequest(ApiKey.Metadata, 12, 42, 'kts', body);
    const frame = Buffer.concat(chunks);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    const req = decodeRequest(frame.subarray(4));
    expect(req.apiKey).toBe(ApiKey.Metadata);
    expect(req.header).toEqual({ requestApiKey: 3, requestApiVersion: 12, correlationId: 42, clientId: 'kts' });
    if (req.apiKey !== ApiKey.Metadata) throw new Error('narrowing');
    expect(req.body).toEqual(body);
  });

  it('keeps the header of a too-new ApiVersions request so the broker can answer with v0', () => {
    const w = new Writer();
    // ApiVersions v9 (unknown) with header v2: key, version, correlation id, client id, no tags; then junk.
    w.int16(18);
    w.int16(9);
    w.int32(7);
    w.string('future-client');
    w.uvarint(0);
    w.int32(-12345);
    let caught: unknown;
    try {
      decodeRequest(w.toBuffer());
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnsupportedRequestError);
    const err = caught as UnsupportedRequestError;
    expect(err.code).toBe('UNSUPPORTED_VERSION');
    expect(err.header).toMatchObject({ requestApiKey: 18, requestApiVersion: 9, correlationId: 7, clientId: 'future-client' });
  });

  it('reports unknown API keys with their correlation id', () => {
    const w = new Writer();
    w.int16(999);
    w.int16(0);
    w.int32(5);
    w.string('c');
    expect(() => decodeRequest(w.toBuffer())).toThrow(UnsupportedRequestError);
  });

  it('writes ApiVersions responses with header v0 even when the body is flexible', () => {
    const body = { ...defaultApiVersionsResponse(), errorCode: 35 };
    const bytes = frameBody(encodeResponse(ApiKey.ApiVersions, 3, 9, body));
    // correlation id, then directly the body (int16 error code): no header tagged-field byte.
    expect(bytes.readInt32BE(0)).toBe(9);
    expect(bytes.readInt16BE(4)).toBe(35);
    expect(decodeResponse(ApiKey.ApiVersions, 3, bytes)).toEqual({ correlationId: 9, body });
  });

  it('refuses to encode a version the API does not have', () => {
    expect(() => encodeResponse(ApiKey.ApiVersions, 5, 1, defaultApiVersionsResponse())).toThrow(ProtocolError);
  });
});

describe('FrameSplitter', () => {
  const frame = (payload: number[]) => {
    const b = Buffer.alloc(4 + payload.length);
    b.writeInt32BE(payload.length, 0);
    Buffer.from(payload).copy(b, 4);
    return b;
  };

  it('reassembles frames split at every possible byte boundary', () => {
    const stream = Buffer.concat([frame([1, 2, 3]), frame([]), frame([4, 5, 6, 7, 8])]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const s = new FrameSplitter(100);
      const frames = [...s.push(stream.subarray(0, cut)), ...s.push(stream.subarray(cut))];
      expect(frames.map((f) => [...f])).toEqual([[1, 2, 3], [], [4, 5, 6, 7, 8]]);
      expect(s.buffered).toBe(0);
    }
  });

  it('returns a frame inside one chunk as a view of it', () => {
    const chunk = frame([9, 9]);
    const [f] = new FrameSplitter(100).push(chunk);
    expect(f!.buffer).toBe(chunk.buffer);
  });

  it('fills a frame larger than 1 MiB as its bytes arrive, and keeps what follows it', () => {
    const big = Buffer.alloc(4 + (3 << 20));
    big.writeInt32BE(3 << 20, 0);
    for (let i = 4; i < big.length; i++) big[i] = i & 0xff;
    const stream = Buffer.concat([frame([7]), big, frame([1, 2])]);
    const s = new FrameSplitter(4 << 20);
    const received: Buffer[] = [];
    const sizes: number[] = [];
    for (let at = 0; at < stream.length; at += 65_536) {
      const frames = s.push(stream.subarray(at, at + 65_536));
      received.push(...frames);
      sizes.push(s.buffered);
    }
    expect(received.map((f) => f.length)).toEqual([1, 3 << 20, 2]);
    expect(received[1]!.equals(big.subarray(4))).toBe(true);
    expect([...received[2]!]).toEqual([1, 2]);
    expect(s.buffered).toBe(0);
    // What it holds while the big frame arrives is what has arrived of it, no more.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3 << 20);
  });

  it('copies a frame spanning chunks into the buffer its source gives, knowing the first bytes', () => {
    const asked: { size: number; head: number[] }[] = [];
    const lent = Buffer.alloc(64);
    const s = new FrameSplitter(100, (size, head) => {
      asked.push({ size, head: [...head] });
      return lent.subarray(0, size);
    });
    // The size prefix split over two chunks is not a frame: the source is not asked for it.
    const stream = Buffer.concat([frame([0, 0, 5, 6]), frame([1, 2])]);
    const frames = [...s.push(stream.subarray(0, 2)), ...s.push(stream.subarray(2, 6)), ...s.push(stream.subarray(6))];
    expect(frames.map((f) => [...f])).toEqual([
      [0, 0, 5, 6],
      [1, 2],
    ]);
    expect(asked).toEqual([{ size: 4, head: [0, 0] }]);
    expect(frames[0]!.buffer).toBe(lent.buffer);
  });

  it('rejects negative and oversized frame sizes as soon as the prefix arrives', () => {
    expect(() => new FrameSplitter(100).push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toThrow(
      expect.objectContaining({ code: 'INVALID_FRAME_SIZE' }),
    );
    expect(() => new FrameSplitter(100).push(Buffer.from([0, 0, 0, 101]))).toThrow(expect.objectContaining({ code: 'FRAME_TOO_LARGE' }));
  });
});
