// FindCoordinator v0-5. v4+ batches keys (coordinator_keys). Groups only: a group's coordinator is
// the leader of its __consumer_offsets partition. Transaction coordinators are not served yet
// (COORDINATOR_NOT_AVAILABLE with a message).
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultFindCoordinatorResponse, type FindCoordinatorResponseCoordinator } from '../../protocol/generated/apis/find-coordinator.js';
import { coordinatorPartition } from '../group/coordinator-partition.js';
import { CoordinatorUnavailableError, type GroupLog } from '../group/group-log.js';
import { OFFSETS_TOPIC } from '../group/offsets-topic-log.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { Handler } from './handler.js';

const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;
const BATCHED_KEYS_VERSION = 4;

type Answer = Omit<FindCoordinatorResponseCoordinator, 'key'>;

export function findCoordinatorHandler(groupLog: GroupLog, metadata: MetadataCache): Handler<typeof ApiKey.FindCoordinator> {
  return async (request, ctx) => {
    const keys = ctx.apiVersion >= BATCHED_KEYS_VERSION ? request.coordinatorKeys : [request.key];
    const prepared = await prepare(groupLog, request.keyType);
    // A group's coordinator is told to those who may DESCRIBE the group.
    const denied = { ...NONE, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, errorMessage: null };
    const coordinators: FindCoordinatorResponseCoordinator[] = keys.map((key) => ({
      key,
      ...(prepared ??
        (ctx.authorize('DESCRIBE', 'GROUP', key) ? groupCoordinator(groupLog, metadata, key, ctx.connection.listenerName) : denied)),
    }));
    if (ctx.apiVersion >= BATCHED_KEYS_VERSION) return { ...defaultFindCoordinatorResponse(), coordinators };
    const { errorCode, errorMessage, nodeId, host, port } = coordinators[0]!;
    return { ...defaultFindCoordinatorResponse(), errorCode, errorMessage, nodeId, host, port };
  };
}

const NONE = { nodeId: -1, host: '', port: -1 };

/** The answer for every key when there is one (an unserved key type, no offsets topic), else undefined. */
async function prepare(groupLog: GroupLog, keyType: number): Promise<Answer | undefined> {
  if (keyType === KEY_TYPE_TRANSACTION) {
    return { ...NONE, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'Transactions are not supported by this broker' };
  }
  if (keyType !== KEY_TYPE_GROUP) {
    return {
      ...NONE,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `Unknown coordinator type ${keyType} in FindCoordinator request`,
    };
  }
  try {
    // Kafka creates the offsets topic when a client first looks for a group coordinator.
    await groupLog.ensureExists();
  } catch (err) {
    if (!(err instanceof CoordinatorUnavailableError)) throw err;
    return { ...NONE, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: err.message };
  }
  return undefined;
}

/** The leader of the group's partition, at its address on the client's listener; none yet: COORDINATOR_NOT_AVAILABLE. */
function groupCoordinator(groupLog: GroupLog, metadata: MetadataCache, groupId: string, listenerName: string): Answer {
  const partition = coordinatorPartition(groupId, groupLog.partitionCount());
  const leader = metadata.topic(OFFSETS_TOPIC)?.partitions[partition]?.leader ?? -1;
  const endpoint = leader >= 0 ? metadata.endpointOf(leader, listenerName) : undefined;
  if (!endpoint) {
    return { ...NONE, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'The coordinator is not available.' };
  }
  return { nodeId: leader, host: endpoint.host, port: endpoint.port, errorCode: ErrorCode.NONE, errorMessage: null };
}
