import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { Handler } from './handler.js';
import { delay } from '../security/failed-authentication-delay.js';

/**
 * SaslHandshake v0-1 (KIP-43, KIP-152): on a SASL connection still authenticating, picks the
 * mechanism (an unsupported one is refused with the enabled list, then the connection closes);
 * anywhere else ILLEGAL_SASL_STATE, as Kafka answers a handshake after authentication or on a
 * listener without SASL. On an authenticated connection whose session expires it begins
 * re-authentication (the connection saw to that before dispatching it, KIP-368).
 */
export function saslHandshakeHandler(): Handler<typeof ApiKey.SaslHandshake> {
  return async (request, ctx) => {
    const { sasl } = ctx.connection.session;
    if (sasl === undefined || sasl.state !== 'handshake') return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] };
    const result = sasl.handshake(request.mechanism, ctx.apiVersion);
    if (result.errorCode !== 'NONE') await delay(sasl.settings.failedDelayMs);
    return { errorCode: ErrorCode[result.errorCode], mechanisms: [...result.mechanisms] };
  };
}
