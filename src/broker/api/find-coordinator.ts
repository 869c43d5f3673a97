// FindCoordinator v0-5. v4+ batches keys (coordinator_keys). Groups only: every group is
// coordinated by this broker, the leader of every __consumer_offsets partition. Transaction
// coordinators are not served yet (COORDINATOR_NOT_AVAILABLE with a message).
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultFindCoordinatorResponse, type FindCoordinatorResponseCoordinator } from '../../protocol/generated/apis/find-coordinator.js';
import type { GroupLog } from '../group/group-log.js';
import { CoordinatorUnavailableError } from '../group/group-log.js';
import type { Handler, RequestContext } from './handler.js';

const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;
const BATCHED_KEYS_VERSION = 4;

export interface CoordinatorEndpoint {
  nodeId: number;
  host: string;
  port: number;
}

export function findCoordinatorHandler(
  groupLog: GroupLog,
  endpoint: (ctx: RequestContext) => CoordinatorEndpoint,
): Handler<typeof ApiKey.FindCoordinator> {
  return async (request, ctx) => {
    const keys = ctx.apiVersion >= BATCHED_KEYS_VERSION ? request.coordinatorKeys : [request.key];
    const answer = await coordinatorFor(groupLog, request.keyType, endpoint(ctx));
    const coordinators: FindCoordinatorResponseCoordinator[] = keys.map((key) => ({ key, ...answer }));
    if (ctx.apiVersion >= BATCHED_KEYS_VERSION) return { ...defaultFindCoordinatorResponse(), coordinators };
    const { errorCode, errorMessage, nodeId, host, port } = coordinators[0]!;
    return { ...defaultFindCoordinatorResponse(), errorCode, errorMessage, nodeId, host, port };
  };
}

async function coordinatorFor(
  groupLog: GroupLog,
  keyType: number,
  endpoint: CoordinatorEndpoint,
): Promise<Omit<FindCoordinatorResponseCoordinator, 'key'>> {
  const none = { nodeId: -1, host: '', port: -1 };
  if (keyType === KEY_TYPE_TRANSACTION) {
    return { ...none, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'Transactions are not supported by this broker' };
  }
  if (keyType !== KEY_TYPE_GROUP) {
    return {
      ...none,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `Unknown coordinator type ${keyType} in FindCoordinator request`,
    };
  }
  try {
    // Kafka creates the offsets topic when a client first looks for a group coordinator.
    await groupLog.ensureExists();
  } catch (err) {
    if (!(err instanceof CoordinatorUnavailableError)) throw err;
    return { ...none, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: err.message };
  }
  return { ...endpoint, errorCode: ErrorCode.NONE, errorMessage: null };
}
