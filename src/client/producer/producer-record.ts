/** A record header; a string value is sent as its UTF-8 bytes, null as Kafka's null. */
export interface ProducerHeader {
  key: string;
  value: Buffer | string | null;
}

/** What `send` takes. Strings are sent as UTF-8; absent key or value is null. */
export interface ProducerRecord {
  topic: string;
  /** Pins the record to a partition; otherwise the partitioner decides. */
  partition?: number;
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: readonly ProducerHeader[];
  /** Milliseconds since the epoch (CreateTime); defaults to the time of `send`. */
  timestamp?: number;
}

/** Where an acknowledged record landed. Offsets are -1 with acks=0. */
export class RecordMetadata {
  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly baseOffset: bigint,
    private readonly index: number,
    /** The broker's LogAppendTime, or the record's own timestamp (-1 when unknown). */
    readonly timestamp: number,
  ) {}

  /** Computed on demand: most callers never look, and a bigint per record is not free. */
  get offset(): bigint {
    return this.baseOffset < 0n ? -1n : this.baseOffset + BigInt(this.index);
  }
}

/** Called once per record: with metadata when acknowledged, with the error when it failed. */
export type DeliveryCallback = (error: Error | null, metadata: RecordMetadata | null) => void;
