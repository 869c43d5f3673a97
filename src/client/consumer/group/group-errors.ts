import { ErrorCode, errorName } from '../../../protocol/errors.js';
import { ConsumerError } from '../consumer-errors.js';

/** What a member does about an error code from a group request (Java's AbstractCoordinator). */
export type GroupErrorAction =
  /** The coordinator moved or is unreachable: look it up again, then retry. */
  | 'find-coordinator'
  /** Transient (the coordinator is loading, offsets are unstable): retry after a backoff. */
  | 'retry'
  /** The group is rebalancing: join again with the same member id and generation. */
  | 'rejoin'
  /** This member's generation is stale: join again as the same member. */
  | 'reset-generation'
  /** The coordinator does not know this member: join again as a new one. */
  | 'reset-member'
  /** Nothing to retry: consuming ends. */
  | 'fatal';

const ACTIONS: ReadonlyMap<number, GroupErrorAction> = new Map([
  [ErrorCode.NOT_COORDINATOR, 'find-coordinator'],
  [ErrorCode.COORDINATOR_NOT_AVAILABLE, 'find-coordinator'],
  [ErrorCode.NETWORK_EXCEPTION, 'find-coordinator'],
  [ErrorCode.REQUEST_TIMED_OUT, 'find-coordinator'],
  [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, 'retry'],
  [ErrorCode.UNSTABLE_OFFSET_COMMIT, 'retry'],
  [ErrorCode.REBALANCE_IN_PROGRESS, 'rejoin'],
  [ErrorCode.ILLEGAL_GENERATION, 'reset-generation'],
  [ErrorCode.UNKNOWN_MEMBER_ID, 'reset-member'],
]);

/** Kafka's exception messages for the errors that end a group member. */
const FATAL_MESSAGES: ReadonlyMap<number, (groupId: string) => string> = new Map<number, (groupId: string) => string>([
  [ErrorCode.GROUP_AUTHORIZATION_FAILED, (g) => `Not authorized to access group: ${g}`],
  [ErrorCode.TOPIC_AUTHORIZATION_FAILED, () => 'Not authorized to access topics of the assignment'],
  [ErrorCode.INVALID_GROUP_ID, (g) => `The configured groupId '${g}' is invalid`],
  [ErrorCode.FENCED_INSTANCE_ID, () => 'another consumer with the same group.instance.id joined the group (FENCED_INSTANCE_ID)'],
  [
    ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    (g) => `the group '${g}' uses an assignment strategy or protocol type this consumer does not speak (INCONSISTENT_GROUP_PROTOCOL)`,
  ],
  [
    ErrorCode.INVALID_SESSION_TIMEOUT,
    () => "session.timeout.ms is outside the broker's group.min.session.timeout.ms..group.max.session.timeout.ms (INVALID_SESSION_TIMEOUT)",
  ],
  [ErrorCode.GROUP_MAX_SIZE_REACHED, (g) => `the group '${g}' has reached its maximum size (GROUP_MAX_SIZE_REACHED)`],
]);

export function groupErrorAction(code: number): GroupErrorAction {
  return ACTIONS.get(code) ?? 'fatal';
}

/** An error code from a group request (or a lost coordinator connection: NETWORK_EXCEPTION). */
export class GroupError extends ConsumerError {
  override name = 'GroupError';

  constructor(code: number, groupId: string, request: string, options?: ErrorOptions) {
    const fatal = FATAL_MESSAGES.get(code);
    super(fatal ? fatal(groupId) : `${request} for group '${groupId}' failed: ${errorName(code) ?? `error code ${code}`}`, code, options);
  }

  get action(): GroupErrorAction {
    return groupErrorAction(this.code!);
  }
}

/** A cluster request (Metadata, ListOffsets) that failed for want of a connection: retried after a backoff. */
export class ClusterUnreachableError extends ConsumerError {
  override name = 'ClusterUnreachableError';
}
