import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { Handler } from './handler.js';

/**
 * SaslAuthenticate v0-2 (KIP-152): one token of the exchange SaslHandshake v1 began, checked in
 * the client address's turn. A refusal is answered SASL_AUTHENTICATION_FAILED with Kafka's
 * message after connection.failed.authentication.delay.ms, then the connection closes. The last
 * answer carries the session lifetime (v1+, KIP-368: connections.max.reauth.ms, 0 for sessions
 * that never expire). Anywhere else ILLEGAL_SASL_STATE.
 */
export function saslAuthenticateHandler(): Handler<typeof ApiKey.SaslAuthenticate> {
  return async (request, ctx) => {
    const { sasl } = ctx.connection.session;
    const answer = { errorMessage: null, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
    if (sasl === undefined || sasl.state !== 'authenticate' || sasl.rawTokens) {
      return {
        ...answer,
        errorCode: ErrorCode.ILLEGAL_SASL_STATE,
        errorMessage: 'SaslAuthenticate request received after successful authentication',
      };
    }
    const result = await sasl.token(request.authBytes);
    if (!result.ok) return { ...answer, errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: result.message };
    return { ...answer, errorCode: ErrorCode.NONE, authBytes: result.challenge, sessionLifetimeMs: BigInt(result.sessionLifetimeMs) };
  };
}
