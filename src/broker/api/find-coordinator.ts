// FindCoordinator v0-5. v4+ batches keys (coordinator_keys). A group's coordinator is the leader of
// its __consumer_offsets partition, a transactional id's the leader of its __transaction_state
// partition; the topic is created on first use.
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultFindCoordinatorResponse, type FindCoordinatorResponseCoordinator } from '../../protocol/generated/apis/find-coordinator.js';
import { coordinatorPartition } from '../group/coordinator-partition.js';
import { CoordinatorUnavailableError, type GroupLog } from '../group/group-log.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { Handler } from './handler.js';

const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;
const BATCHED_KEYS_VERSION = 4;

type Answer = Omit<FindCoordinatorResponseCoordinator, 'key'>;

/** A coordinator's internal topic: keys hash to its partitions, whose leaders coordinate them. */
export interface CoordinatorTopic {
  log: GroupLog;
  topic: string;
}

export function findCoordinatorHandler(
  coordinators: { group: CoordinatorTopic; transaction: CoordinatorTopic },
  metadata: MetadataCache,
): Handler<typeof ApiKey.FindCoordinator> {
  return async (request, ctx) => {
    const keys = ctx.apiVersion >= BATCHED_KEYS_VERSION ? request.coordinatorKeys : [request.key];
    const target =
      request.keyType === KEY_TYPE_GROUP
        ? coordinators.group
        : request.keyType === KEY_TYPE_TRANSACTION
          ? coordinators.transaction
          : undefined;
    const prepared = await prepare(target, request.keyType);
    // A coordinator is told to those who may DESCRIBE the group or transactional id.
    const resource = request.keyType === KEY_TYPE_GROUP ? 'GROUP' : 'TRANSACTIONAL_ID';
    const denied: Answer = {
      ...NONE,
      errorCode: resource === 'GROUP' ? ErrorCode.GROUP_AUTHORIZATION_FAILED : ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      errorMessage: null,
    };
    const answers: FindCoordinatorResponseCoordinator[] = keys.map((key) => ({
      key,
      ...(prepared ??
        (ctx.authorize('DESCRIBE', resource, key) ? coordinatorOf(target!, metadata, key, ctx.connection.listenerName) : denied)),
    }));
    if (ctx.apiVersion >= BATCHED_KEYS_VERSION) return { ...defaultFindCoordinatorResponse(), coordinators: answers };
    const { errorCode, errorMessage, nodeId, host, port } = answers[0]!;
    return { ...defaultFindCoordinatorResponse(), errorCode, errorMessage, nodeId, host, port };
  };
}

const NONE = { nodeId: -1, host: '', port: -1 };

/** The answer for every key when there is one (an unknown key type, no coordinator topic), else undefined. */
async function prepare(target: CoordinatorTopic | undefined, keyType: number): Promise<Answer | undefined> {
  if (!target) {
    return {
      ...NONE,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `Unknown coordinator type ${keyType} in FindCoordinator request`,
    };
  }
  try {
    // Kafka creates the coordinator's topic when a client first looks for a coordinator.
    await target.log.ensureExists();
  } catch (err) {
    if (!(err instanceof CoordinatorUnavailableError)) throw err;
    return { ...NONE, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: err.message };
  }
  return undefined;
}

/** The leader of the key's partition, at its address on the client's listener; none yet: COORDINATOR_NOT_AVAILABLE. */
function coordinatorOf(target: CoordinatorTopic, metadata: MetadataCache, key: string, listenerName: string): Answer {
  const partition = coordinatorPartition(key, target.log.partitionCount());
  const leader = metadata.topic(target.topic)?.partitions[partition]?.leader ?? -1;
  const endpoint = leader >= 0 ? metadata.endpointOf(leader, listenerName) : undefined;
  if (!endpoint) {
    return { ...NONE, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'The coordinator is not available.' };
  }
  return { nodeId: leader, host: endpoint.host, port: endpoint.port, errorCode: ErrorCode.NONE, errorMessage: null };
}
