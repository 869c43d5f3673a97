/** kafkajs's own protocol encoders and decoders: an independent implementation to check against. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const base = 'kafkajs/src/protocol';

type Encoder = { buffer: Buffer };
type Fn<A, R> = (arg: A) => R;

export const Long = require('kafkajs/src/utils/long') as { fromValue(v: string | number): unknown };
export const KafkajsDecoder = require(`${base}/decoder`) as new (buf: Buffer) => unknown;
export const { RecordBatch } = require(`${base}/recordBatch/v0`) as { RecordBatch: Fn<Record<string, unknown>, Promise<Encoder>> };
export const KafkajsRecord = require(`${base}/recordBatch/record/v0`) as Fn<Record<string, unknown>, Encoder>;
export const decodeKafkajsBatch = require(`${base}/recordBatch/v0/decoder`) as Fn<unknown, Promise<KafkajsBatch>>;
export const MessageSet = require(`${base}/messageSet`) as Fn<Record<string, unknown>, Encoder>;
export const decodeKafkajsMessageSet = require(`${base}/messageSet/decoder`) as (d: unknown, size: number) => Promise<KafkajsMessage[]>;
export const KafkajsMessage = require(`${base}/message`) as Fn<{ version: number }, Fn<Record<string, unknown>, Encoder>>;
export const gzipCodec = require(`${base}/message/compression/gzip`) as { compress(e: Encoder): Promise<Buffer> };

export interface KafkajsRecordOut {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
  isControlRecord: boolean;
}

export interface KafkajsBatch {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  timestampType: number;
  records: KafkajsRecordOut[];
}

export interface KafkajsMessage {
  offset: string;
  magicByte: number;
  attributes: number;
  timestamp?: string;
  key: Buffer | null;
  value: Buffer | null;
}
