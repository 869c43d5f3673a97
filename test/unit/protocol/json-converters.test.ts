import { describe, expect, it } from 'vitest';
import { stringifyJson } from '../../../src/protocol/primitives/json.js';
import {
  consumerGroupMemberMetadataValueToJson,
  defaultConsumerGroupMemberMetadataValue,
} from '../../../src/protocol/generated/group-coordinator/consumer-group-member-metadata-value.js';
import {
  defaultGroupMetadataValue,
  groupMetadataValueToJson,
} from '../../../src/protocol/generated/group-coordinator/group-metadata-value.js';
import { snapshotHeaderRecordToJson } from '../../../src/protocol/generated/data/snapshot-header-record.js';
import { OFFSET_COMMIT_VALUE_VERSIONS } from '../../../src/protocol/generated/group-coordinator/offset-commit-value.js';

/** The generated converters follow Kafka's JsonConverterGenerator: fields of the version only, tagged ones when not default. */
describe('generated JSON converters', () => {
  it('writes only the fields the version has, int64 as plain numbers', () => {
    const value = { ...defaultGroupMetadataValue(), protocolType: 'consumer', currentStateTimestamp: 123n };
    expect(stringifyJson(groupMetadataValueToJson(value, 1))).toBe(
      '{"protocolType":"consumer","generation":0,"protocol":"","leader":"","members":[]}',
    );
    expect(stringifyJson(groupMetadataValueToJson(value, 2))).toBe(
      '{"protocolType":"consumer","generation":0,"protocol":"","leader":"","currentStateTimestamp":123,"members":[]}',
    );
    expect(stringifyJson(snapshotHeaderRecordToJson({ version: 0, lastContainedLogTimestamp: 9007199254740993n }, 0))).toBe(
      '{"version":0,"lastContainedLogTimestamp":9007199254740993}',
    );
  });

  it('writes a tagged field only when it is not its default; bytes as base64', () => {
    const member = defaultConsumerGroupMemberMetadataValue();
    expect(consumerGroupMemberMetadataValueToJson(member, 0)).not.toHaveProperty('classicMemberMetadata');
    const classic = {
      ...member,
      classicMemberMetadata: { sessionTimeoutMs: 10, supportedProtocols: [{ name: 'range', metadata: Buffer.from('hi') }] },
    };
    expect(consumerGroupMemberMetadataValueToJson(classic, 0).classicMemberMetadata).toEqual({
      sessionTimeoutMs: 10,
      supportedProtocols: [{ name: 'range', metadata: 'aGk=' }],
    });
  });

  it('exports the valid versions of each record schema', () => {
    expect(OFFSET_COMMIT_VALUE_VERSIONS).toEqual({ lo: 0, hi: 4 });
  });
});
