import { stringifyJson, type JsonObject } from '../../protocol/primitives/json.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { decodeKRaftVersionRecord, kRaftVersionRecordToJson } from '../../protocol/generated/data/k-raft-version-record.js';
import { decodeSnapshotFooterRecord, snapshotFooterRecordToJson } from '../../protocol/generated/data/snapshot-footer-record.js';
import { decodeSnapshotHeaderRecord, snapshotHeaderRecordToJson } from '../../protocol/generated/data/snapshot-header-record.js';
import { decodeVotersRecord, votersRecordToJson } from '../../protocol/generated/data/voters-record.js';
import { CONTROL_TYPE } from '../../protocol/records/control-record.js';

/** KRaft's control records, read at version 0 and printed with their own Version field as the JSON version (ControlRecordUtils). */
const KRAFT_RECORDS: ReadonlyMap<number, { label: string; toJson(r: Reader): JsonObject }> = new Map([
  [
    CONTROL_TYPE.SNAPSHOT_HEADER,
    { label: 'SnapshotHeader', toJson: (r: Reader) => withOwnVersion(decodeSnapshotHeaderRecord(r, 0), snapshotHeaderRecordToJson) },
  ],
  [
    CONTROL_TYPE.SNAPSHOT_FOOTER,
    { label: 'SnapshotFooter', toJson: (r: Reader) => withOwnVersion(decodeSnapshotFooterRecord(r, 0), snapshotFooterRecordToJson) },
  ],
  [
    CONTROL_TYPE.KRAFT_VERSION,
    { label: 'KRaftVersion', toJson: (r: Reader) => withOwnVersion(decodeKRaftVersionRecord(r, 0), kRaftVersionRecordToJson) },
  ],
  [
    CONTROL_TYPE.KRAFT_VOTERS,
    { label: 'KRaftVoters', toJson: (r: Reader) => withOwnVersion(decodeVotersRecord(r, 0), votersRecordToJson) },
  ],
]);

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([[CONTROL_TYPE.LEADER_CHANGE, 'LEADER_CHANGE']]);

function withOwnVersion<T extends { version: number }>(m: T, toJson: (m: T, v: number) => JsonObject): JsonObject {
  return toJson(m, m.version);
}

/** What DumpLogSegments adds to a control record's line for types other than transaction markers. */
export function controlRecordText(type: number, value: Buffer | null): string {
  const kraft = KRAFT_RECORDS.get(type);
  if (kraft !== undefined) return ` ${kraft.label} ${stringifyJson(kraft.toJson(new Reader(value ?? Buffer.alloc(0))))}`;
  return ` controlType: ${TYPE_NAMES.get(type) ?? 'UNKNOWN'}(${type})`;
}
