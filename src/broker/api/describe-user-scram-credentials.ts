import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/** DescribeUserScramCredentials v0 (KIP-554): mechanisms and iterations per user; null users: every user with a credential. */
export function describeUserScramCredentialsHandler(broker: BrokerContext): Handler<typeof ApiKey.DescribeUserScramCredentials> {
  return (request) => ({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    results: broker.scramCredentials.describe(request.users?.map((u) => u.name) ?? null).map(({ user, error, credentials }) => ({
      user,
      errorCode: error?.code ?? ErrorCode.NONE,
      errorMessage: error?.message ?? null,
      credentialInfos: credentials.map((c) => ({ ...c })),
    })),
  });
}
