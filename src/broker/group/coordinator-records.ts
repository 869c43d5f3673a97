/**
 * The records of `__consumer_offsets`, as Kafka writes them: key = int16 version + key struct,
 * value = int16 version + value struct, null value = tombstone. Key versions 0-1 are committed
 * offsets, 2 is group metadata; later versions (KIP-848 consumer groups) are not ours and skipped.
 */
import { decodeGroupMetadataKey, encodeGroupMetadataKey } from '../../protocol/generated/group-coordinator/group-metadata-key.js';
import {
  decodeGroupMetadataValue,
  encodeGroupMetadataValue,
  type GroupMetadataValue,
} from '../../protocol/generated/group-coordinator/group-metadata-value.js';
import { decodeOffsetCommitKey, encodeOffsetCommitKey } from '../../protocol/generated/group-coordinator/offset-commit-key.js';
import { decodeOffsetCommitValue, encodeOffsetCommitValue } from '../../protocol/generated/group-coordinator/offset-commit-value.js';
import { ProtocolError } from '../../protocol/primitives/protocol-error.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { Writer } from '../../protocol/primitives/writer.js';
import type { CommittedOffset } from './group-offsets.js';

export interface CoordinatorRecord {
  key: Buffer;
  /** null: a tombstone, which compaction eventually removes with every older value of the key. */
  value: Buffer | null;
}

export type { GroupMetadataValue };

export type DecodedCoordinatorRecord =
  | { type: 'offset'; group: string; topic: string; partition: number; value: CommittedOffset | null }
  | { type: 'group'; group: string; value: GroupMetadataValue | null }
  | { type: 'other' };

const OFFSET_KEY_VERSION = 1;
const GROUP_KEY_VERSION = 2;
/** Kafka writes value v3 unless an explicit expire timestamp must be kept, which only v1 holds. */
const OFFSET_VALUE_VERSION = 3;
const OFFSET_VALUE_WITH_EXPIRY = 1;
const GROUP_VALUE_VERSION = 3;
const MAX_OFFSET_VALUE_VERSION = 4;
const MAX_GROUP_VALUE_VERSION = 4;

function versioned(version: number, write: (w: Writer) => void): Buffer {
  const w = new Writer(64);
  w.int16(version);
  write(w);
  return w.toBuffer();
}

export function offsetCommitKey(group: string, topic: string, partition: number): Buffer {
  return versioned(OFFSET_KEY_VERSION, (w) => encodeOffsetCommitKey(w, { group, topic, partition }, OFFSET_KEY_VERSION));
}

export function groupMetadataKey(group: string): Buffer {
  return versioned(GROUP_KEY_VERSION, (w) => encodeGroupMetadataKey(w, { group }, GROUP_KEY_VERSION));
}

export function offsetCommitRecord(group: string, topic: string, partition: number, c: CommittedOffset): CoordinatorRecord {
  const version = c.expireTimestamp >= 0 ? OFFSET_VALUE_WITH_EXPIRY : OFFSET_VALUE_VERSION;
  const value = versioned(version, (w) =>
    encodeOffsetCommitValue(
      w,
      {
        offset: c.offset,
        leaderEpoch: c.leaderEpoch,
        metadata: c.metadata,
        commitTimestamp: BigInt(c.commitTimestamp),
        expireTimestamp: BigInt(c.expireTimestamp),
      },
      version,
    ),
  );
  return { key: offsetCommitKey(group, topic, partition), value };
}

export function groupMetadataRecord(group: string, value: GroupMetadataValue): CoordinatorRecord {
  return {
    key: groupMetadataKey(group),
    value: versioned(GROUP_VALUE_VERSION, (w) => encodeGroupMetadataValue(w, value, GROUP_VALUE_VERSION)),
  };
}

/** Decodes one stored record; bytes that are not a record we know throw a ProtocolError. */
export function decodeCoordinatorRecord(record: CoordinatorRecord): DecodedCoordinatorRecord {
  const key = new Reader(record.key);
  const keyVersion = key.int16();
  if (keyVersion === 0 || keyVersion === 1) {
    const k = decodeOffsetCommitKey(key, keyVersion);
    ensureConsumed(key, 'offset commit key');
    return {
      type: 'offset',
      group: k.group,
      topic: k.topic,
      partition: k.partition,
      value: record.value && decodeOffsetValue(record.value),
    };
  }
  if (keyVersion === GROUP_KEY_VERSION) {
    const k = decodeGroupMetadataKey(key, keyVersion);
    ensureConsumed(key, 'group metadata key');
    return { type: 'group', group: k.group, value: record.value && decodeGroupValue(record.value) };
  }
  return { type: 'other' };
}

function decodeOffsetValue(bytes: Buffer): CommittedOffset {
  const r = new Reader(bytes);
  const version = checkVersion(r.int16(), MAX_OFFSET_VALUE_VERSION, 'offset commit value');
  const v = decodeOffsetCommitValue(r, version);
  return {
    offset: v.offset,
    leaderEpoch: v.leaderEpoch,
    metadata: v.metadata,
    commitTimestamp: Number(v.commitTimestamp),
    expireTimestamp: Number(v.expireTimestamp),
  };
}

function decodeGroupValue(bytes: Buffer): GroupMetadataValue {
  const r = new Reader(bytes);
  const version = checkVersion(r.int16(), MAX_GROUP_VALUE_VERSION, 'group metadata value');
  return decodeGroupMetadataValue(r, version);
}

function checkVersion(version: number, max: number, what: string): number {
  if (version < 0 || version > max) throw new ProtocolError('UNSUPPORTED_VERSION', `unknown ${what} version ${version}`);
  return version;
}

function ensureConsumed(r: Reader, what: string): void {
  if (r.remaining !== 0) throw new ProtocolError('INVALID_LENGTH', `${r.remaining} bytes left over after the ${what}`);
}
