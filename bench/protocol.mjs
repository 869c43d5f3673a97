#!/usr/bin/env node
// Protocol codec throughput, against the compiled dist/ (run `npm run build` first).
// Prints numbers only; compare runs on the same machine.
import { randomBytes } from 'node:crypto';
import { decodeRequest, encodeRequest, encodeResponse } from '../dist/protocol/framing.js';
import { ApiKey } from '../dist/protocol/generated/api-info.js';
import { defaultFetchResponse } from '../dist/protocol/generated/apis/fetch.js';
import { defaultProduceRequest } from '../dist/protocol/generated/apis/produce.js';

const MB = 1 << 20;

function measure(label, bytesPerOp, fn, seconds = 1) {
  for (let i = 0; i < 200; i++) fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const stop = start + BigInt(seconds * 1e9);
  let now = start;
  while (now < stop) {
    for (let i = 0; i < 50; i++) fn();
    ops += 50;
    now = process.hrtime.bigint();
  }
  const secs = Number(now - start) / 1e9;
  const perOpUs = (secs / ops) * 1e6;
  const mbps = (bytesPerOp * ops) / secs / MB;
  console.log(`${label.padEnd(58)} ${perOpUs.toFixed(2).padStart(9)} µs/op ${mbps.toFixed(0).padStart(8)} MB/s`);
}

function produceFrame(version, partitions, bytesEach) {
  const body = {
    ...defaultProduceRequest(),
    acks: -1,
    timeoutMs: 30000,
    topicData: [
      {
        name: 'bench-topic',
        partitionData: Array.from({ length: partitions }, (_, index) => ({ index, records: randomBytes(bytesEach) })),
      },
    ],
  };
  return Buffer.concat(encodeRequest(ApiKey.Produce, version, 1, 'bench', body)).subarray(4);
}

function fetchBody(partitions, bytesEach) {
  return {
    ...defaultFetchResponse(),
    responses: [
      {
        topic: 'bench-topic',
        topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({
          partitionIndex,
          errorCode: 0,
          highWatermark: 1000n,
          lastStableOffset: 1000n,
          logStartOffset: 0n,
          divergingEpoch: { epoch: -1, endOffset: -1n },
          currentLeader: { leaderId: -1, leaderEpoch: -1 },
          snapshotId: { endOffset: -1n, epoch: -1 },
          abortedTransactions: null,
          preferredReadReplica: -1,
          records: randomBytes(bytesEach),
        })),
      },
    ],
  };
}

for (const [version, partitions] of [
  [9, 1],
  [9, 100],
  [7, 1],
]) {
  const frame = produceFrame(version, partitions, Math.floor(MB / partitions));
  measure(`decode Produce v${version} request, 1 MB in ${partitions} partition(s)`, frame.length, () => decodeRequest(frame));
}

for (const [version, partitions] of [
  [12, 1],
  [12, 100],
  [11, 1],
]) {
  const body = fetchBody(partitions, Math.floor(MB / partitions));
  measure(`encode Fetch v${version} response, 1 MB in ${partitions} partition(s)`, MB, () =>
    encodeResponse(ApiKey.Fetch, version, 1, body),
  );
}
