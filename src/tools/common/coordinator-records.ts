import type { JsonObject } from '../../protocol/primitives/json.js';
import {
  TRANSACTION_LOG_KEY_VERSIONS,
  decodeTransactionLogKey,
  transactionLogKeyToJson,
} from '../../protocol/generated/transaction-coordinator/transaction-log-key.js';
import {
  TRANSACTION_LOG_VALUE_VERSIONS,
  decodeTransactionLogValue,
  transactionLogValueToJson,
} from '../../protocol/generated/transaction-coordinator/transaction-log-value.js';
import type { Reader } from '../../protocol/primitives/reader.js';
import {
  CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT_KEY_VERSIONS,
  decodeConsumerGroupCurrentMemberAssignmentKey,
  consumerGroupCurrentMemberAssignmentKeyToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-current-member-assignment-key.js';
import {
  CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT_VALUE_VERSIONS,
  decodeConsumerGroupCurrentMemberAssignmentValue,
  consumerGroupCurrentMemberAssignmentValueToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-current-member-assignment-value.js';
import {
  CONSUMER_GROUP_MEMBER_METADATA_KEY_VERSIONS,
  decodeConsumerGroupMemberMetadataKey,
  consumerGroupMemberMetadataKeyToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-member-metadata-key.js';
import {
  CONSUMER_GROUP_MEMBER_METADATA_VALUE_VERSIONS,
  decodeConsumerGroupMemberMetadataValue,
  consumerGroupMemberMetadataValueToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-member-metadata-value.js';
import {
  CONSUMER_GROUP_METADATA_KEY_VERSIONS,
  decodeConsumerGroupMetadataKey,
  consumerGroupMetadataKeyToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-metadata-key.js';
import {
  CONSUMER_GROUP_METADATA_VALUE_VERSIONS,
  decodeConsumerGroupMetadataValue,
  consumerGroupMetadataValueToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-metadata-value.js';
import {
  CONSUMER_GROUP_PARTITION_METADATA_KEY_VERSIONS,
  decodeConsumerGroupPartitionMetadataKey,
  consumerGroupPartitionMetadataKeyToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-partition-metadata-key.js';
import {
  CONSUMER_GROUP_PARTITION_METADATA_VALUE_VERSIONS,
  decodeConsumerGroupPartitionMetadataValue,
  consumerGroupPartitionMetadataValueToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-partition-metadata-value.js';
import {
  CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER_KEY_VERSIONS,
  decodeConsumerGroupTargetAssignmentMemberKey,
  consumerGroupTargetAssignmentMemberKeyToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-target-assignment-member-key.js';
import {
  CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER_VALUE_VERSIONS,
  decodeConsumerGroupTargetAssignmentMemberValue,
  consumerGroupTargetAssignmentMemberValueToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-target-assignment-member-value.js';
import {
  CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA_KEY_VERSIONS,
  decodeConsumerGroupTargetAssignmentMetadataKey,
  consumerGroupTargetAssignmentMetadataKeyToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-target-assignment-metadata-key.js';
import {
  CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA_VALUE_VERSIONS,
  decodeConsumerGroupTargetAssignmentMetadataValue,
  consumerGroupTargetAssignmentMetadataValueToJson,
} from '../../protocol/generated/group-coordinator/consumer-group-target-assignment-metadata-value.js';
import {
  GROUP_METADATA_KEY_VERSIONS,
  decodeGroupMetadataKey,
  groupMetadataKeyToJson,
} from '../../protocol/generated/group-coordinator/group-metadata-key.js';
import {
  GROUP_METADATA_VALUE_VERSIONS,
  decodeGroupMetadataValue,
  groupMetadataValueToJson,
} from '../../protocol/generated/group-coordinator/group-metadata-value.js';
import {
  OFFSET_COMMIT_KEY_VERSIONS,
  decodeOffsetCommitKey,
  offsetCommitKeyToJson,
} from '../../protocol/generated/group-coordinator/offset-commit-key.js';
import {
  OFFSET_COMMIT_VALUE_VERSIONS,
  decodeOffsetCommitValue,
  offsetCommitValueToJson,
} from '../../protocol/generated/group-coordinator/offset-commit-value.js';

/** A record schema a tool can read and print: its name, versions, and decoding straight to Kafka's JSON form. */
export interface RecordSchema {
  name: string;
  versions: { readonly lo: number; readonly hi: number };
  toJson(r: Reader, version: number): JsonObject;
}

function schema<T>(
  name: string,
  versions: { readonly lo: number; readonly hi: number },
  decode: (r: Reader, v: number) => T,
  toJson: (m: T, v: number) => JsonObject,
): RecordSchema {
  return { name, versions, toJson: (r, v) => toJson(decode(r, v), v) };
}

const offsetCommit = {
  key: schema('OffsetCommitKey', OFFSET_COMMIT_KEY_VERSIONS, decodeOffsetCommitKey, offsetCommitKeyToJson),
  value: schema('OffsetCommitValue', OFFSET_COMMIT_VALUE_VERSIONS, decodeOffsetCommitValue, offsetCommitValueToJson),
};

/**
 * CoordinatorRecordSerde's table (Kafka 3.9): a `__consumer_offsets` key's version is the record
 * type, which names the key and value schemas.
 */
export const COORDINATOR_RECORD_TYPES: ReadonlyMap<number, { key: RecordSchema; value: RecordSchema }> = new Map([
  [0, offsetCommit],
  [1, offsetCommit],
  [
    2,
    {
      key: schema('GroupMetadataKey', GROUP_METADATA_KEY_VERSIONS, decodeGroupMetadataKey, groupMetadataKeyToJson),
      value: schema('GroupMetadataValue', GROUP_METADATA_VALUE_VERSIONS, decodeGroupMetadataValue, groupMetadataValueToJson),
    },
  ],
  [
    3,
    {
      key: schema(
        'ConsumerGroupMetadataKey',
        CONSUMER_GROUP_METADATA_KEY_VERSIONS,
        decodeConsumerGroupMetadataKey,
        consumerGroupMetadataKeyToJson,
      ),
      value: schema(
        'ConsumerGroupMetadataValue',
        CONSUMER_GROUP_METADATA_VALUE_VERSIONS,
        decodeConsumerGroupMetadataValue,
        consumerGroupMetadataValueToJson,
      ),
    },
  ],
  [
    4,
    {
      key: schema(
        'ConsumerGroupPartitionMetadataKey',
        CONSUMER_GROUP_PARTITION_METADATA_KEY_VERSIONS,
        decodeConsumerGroupPartitionMetadataKey,
        consumerGroupPartitionMetadataKeyToJson,
      ),
      value: schema(
        'ConsumerGroupPartitionMetadataValue',
        CONSUMER_GROUP_PARTITION_METADATA_VALUE_VERSIONS,
        decodeConsumerGroupPartitionMetadataValue,
        consumerGroupPartitionMetadataValueToJson,
      ),
    },
  ],
  [
    5,
    {
      key: schema(
        'ConsumerGroupMemberMetadataKey',
        CONSUMER_GROUP_MEMBER_METADATA_KEY_VERSIONS,
        decodeConsumerGroupMemberMetadataKey,
        consumerGroupMemberMetadataKeyToJson,
      ),
      value: schema(
        'ConsumerGroupMemberMetadataValue',
        CONSUMER_GROUP_MEMBER_METADATA_VALUE_VERSIONS,
        decodeConsumerGroupMemberMetadataValue,
        consumerGroupMemberMetadataValueToJson,
      ),
    },
  ],
  [
    6,
    {
      key: schema(
        'ConsumerGroupTargetAssignmentMetadataKey',
        CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA_KEY_VERSIONS,
        decodeConsumerGroupTargetAssignmentMetadataKey,
        consumerGroupTargetAssignmentMetadataKeyToJson,
      ),
      value: schema(
        'ConsumerGroupTargetAssignmentMetadataValue',
        CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA_VALUE_VERSIONS,
        decodeConsumerGroupTargetAssignmentMetadataValue,
        consumerGroupTargetAssignmentMetadataValueToJson,
      ),
    },
  ],
  [
    7,
    {
      key: schema(
        'ConsumerGroupTargetAssignmentMemberKey',
        CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER_KEY_VERSIONS,
        decodeConsumerGroupTargetAssignmentMemberKey,
        consumerGroupTargetAssignmentMemberKeyToJson,
      ),
      value: schema(
        'ConsumerGroupTargetAssignmentMemberValue',
        CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER_VALUE_VERSIONS,
        decodeConsumerGroupTargetAssignmentMemberValue,
        consumerGroupTargetAssignmentMemberValueToJson,
      ),
    },
  ],
  [
    8,
    {
      key: schema(
        'ConsumerGroupCurrentMemberAssignmentKey',
        CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT_KEY_VERSIONS,
        decodeConsumerGroupCurrentMemberAssignmentKey,
        consumerGroupCurrentMemberAssignmentKeyToJson,
      ),
      value: schema(
        'ConsumerGroupCurrentMemberAssignmentValue',
        CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT_VALUE_VERSIONS,
        decodeConsumerGroupCurrentMemberAssignmentValue,
        consumerGroupCurrentMemberAssignmentValueToJson,
      ),
    },
  ],
]);

/** `__transaction_state` records: TransactionLogKey and TransactionLogValue. */
export const TRANSACTION_LOG_RECORD: { key: RecordSchema; value: RecordSchema } = {
  key: schema('TransactionLogKey', TRANSACTION_LOG_KEY_VERSIONS, decodeTransactionLogKey, transactionLogKeyToJson),
  value: schema('TransactionLogValue', TRANSACTION_LOG_VALUE_VERSIONS, decodeTransactionLogValue, transactionLogValueToJson),
};
