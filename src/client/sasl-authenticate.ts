import { ErrorCode, errorName } from '../protocol/errors.js';
import { ApiKey } from '../protocol/generated/api-info.js';
import { commonVersion, type BrokerVersions } from './api-versions.js';
import type { KafkaRequester } from './kafka-requester.js';
import type { ScramMechanism } from './scram.js';

/** A SASL mechanism `sasl.ts` accepts from client properties (in lower case), with its credentials. */
export interface SaslCredentials {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** Authentication the broker refused; the message is one line. */
export class SaslAuthenticationError extends Error {
  override name = 'SaslAuthenticationError';
}

/**
 * Kafka's client-side SASL exchange (KIP-152): SaslHandshake v1 names the mechanism, then each
 * token travels in a SaslAuthenticate request. PLAIN takes one round, SCRAM two. Resolves to the
 * session lifetime the broker gave (SaslAuthenticate v1+, KIP-368) in ms; 0 when it has none.
 */
export async function saslAuthenticate(conn: KafkaRequester, versions: BrokerVersions, sasl: SaslCredentials): Promise<number> {
  const mechanism = sasl.mechanism.toUpperCase();
  const authenticateVersion = commonVersion(versions, ApiKey.SaslAuthenticate);
  const handshakeVersion = commonVersion(versions, ApiKey.SaslHandshake);
  if (authenticateVersion === undefined || handshakeVersion === undefined || handshakeVersion < 1) {
    throw new SaslAuthenticationError('the broker does not support SASL authentication (SaslHandshake v1)');
  }
  const handshake = await conn.request(ApiKey.SaslHandshake, handshakeVersion, { mechanism });
  if (handshake.errorCode !== ErrorCode.NONE) {
    const enabled = handshake.mechanisms.length > 0 ? handshake.mechanisms.join(', ') : 'none';
    throw new SaslAuthenticationError(`the broker does not accept SASL mechanism ${mechanism} (enabled: ${enabled})`);
  }
  let sessionLifetimeMs = 0;
  const exchange = async (authBytes: Buffer): Promise<Buffer> => {
    const response = await conn.request(ApiKey.SaslAuthenticate, authenticateVersion, { authBytes });
    if (response.errorCode !== ErrorCode.NONE) {
      const why = response.errorMessage ?? errorName(response.errorCode) ?? `error code ${response.errorCode}`;
      throw new SaslAuthenticationError(`SASL authentication failed: ${why}`);
    }
    sessionLifetimeMs = Number(response.sessionLifetimeMs);
    return response.authBytes;
  };
  if (sasl.mechanism === 'plain') {
    await exchange(Buffer.from(`\0${sasl.username}\0${sasl.password}`));
    return sessionLifetimeMs;
  }
  // Loaded here, with node:crypto behind it: a command pays for SCRAM's start-up only when it uses it.
  const { ScramClient } = await import('./scram.js');
  const scram = new ScramClient(mechanism as ScramMechanism, sasl.username, sasl.password);
  try {
    const serverFirst = await exchange(scram.firstMessage());
    scram.verifyServerFinal(await exchange(scram.finalMessage(serverFirst)));
  } catch (err) {
    if (err instanceof SaslAuthenticationError) throw err;
    throw new SaslAuthenticationError((err as Error).message);
  }
  return sessionLifetimeMs;
}
