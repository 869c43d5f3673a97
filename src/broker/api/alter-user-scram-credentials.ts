import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/** AlterUserScramCredentials v0 (KIP-554): one result per user named, in the order first named. */
export function alterUserScramCredentialsHandler(broker: BrokerContext): Handler<typeof ApiKey.AlterUserScramCredentials> {
  return async (request) => {
    const results = await broker.scramCredentials.alter(request.deletions, request.upsertions);
    return {
      throttleTimeMs: 0,
      results: results.map(({ user, error }) => ({ user, errorCode: error?.code ?? ErrorCode.NONE, errorMessage: error?.message ?? null })),
    };
  };
}
