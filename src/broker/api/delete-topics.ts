import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultDeleteTopicsResponse, type DeleteTopicsResponseDeletableTopicResult } from '../../protocol/generated/apis/delete-topics.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { toApiError } from '../api-error.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * DeleteTopics v0-6: by name, or from v6 by name or id (not both). With delete.topic.enable=false
 * every topic fails with TOPIC_DELETION_DISABLED (INVALID_REQUEST before v3, as Kafka).
 */
export function deleteTopicsHandler(broker: BrokerContext): Handler<typeof ApiKey.DeleteTopics> {
  return async (request, ctx) => {
    const wanted = ctx.apiVersion >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    const enabled = broker.config().values['delete.topic.enable'];
    const responses: DeleteTopicsResponseDeletableTopicResult[] = [];
    for (const { name, topicId } of wanted) {
      const result = (errorCode: number, errorMessage: string | null = null, topicName = name) => ({
        name: topicName,
        topicId,
        errorCode,
        errorMessage,
      });
      if (!enabled) {
        responses.push(
          result(ctx.apiVersion < 3 ? ErrorCode.INVALID_REQUEST : ErrorCode.TOPIC_DELETION_DISABLED, 'Topic deletion is disabled.'),
        );
      } else if (name !== null && topicId !== ZERO_UUID) {
        responses.push(result(ErrorCode.INVALID_REQUEST, 'You may not specify both topic name and topic id.'));
      } else if (name === null) {
        const topic = broker.metadata.topicById(topicId);
        if (!topic) responses.push(result(ErrorCode.UNKNOWN_TOPIC_ID, 'This server does not host this topic ID.'));
        else if (!ctx.authorize('DELETE', 'TOPIC', topic.name))
          responses.push(result(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.', null));
        else responses.push(await remove(broker, topic.name, (code, message) => result(code, message, topic.name)));
      } else if (!ctx.authorize('DELETE', 'TOPIC', name)) {
        responses.push(result(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.'));
      } else {
        responses.push(await remove(broker, name, result));
      }
    }
    return { ...defaultDeleteTopicsResponse(), responses };
  };
}

async function remove(
  broker: BrokerContext,
  name: string,
  result: (errorCode: number, errorMessage: string | null) => DeleteTopicsResponseDeletableTopicResult,
): Promise<DeleteTopicsResponseDeletableTopicResult> {
  try {
    const topic = await broker.topicAdmin.deleteTopic(name);
    return { ...result(ErrorCode.NONE, null), topicId: topic.topicId };
  } catch (err) {
    const error = toApiError(err);
    return result(error.code, error.message);
  }
}
