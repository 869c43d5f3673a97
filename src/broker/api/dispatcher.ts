import { type ApiKey, API_INFO } from '../../protocol/generated/api-info.js';
import type { ServedCodec } from '../../protocol/server-framing.js';
import { type AclOperation, OPERATION_CODES, type ResourceType, SUPPORTED_OPERATIONS } from '../../protocol/acl.js';
import type { RequestRouter } from '../network/connection.js';
import type { Session } from '../security/sasl-authenticator.js';
import { type Handler, type HandlerTable, servedVersions } from './handler.js';

/** The broker's authorizer, asked on behalf of a connection's session (`name` undefined: any resource of the type). */
export type SessionAuthorizer = (session: Session, operation: AclOperation, resourceType: ResourceType, name?: string) => boolean;

/**
 * Routes decoded requests to their handler. Requests of other APIs, or of versions a handler does
 * not serve, never decode (the connection closes, as Kafka does; ApiVersions gets a v0 answer).
 */
export function createRouter(handlers: HandlerTable, authorizer: SessionAuthorizer = () => true): RequestRouter {
  const served = new Map<number, ServedCodec>();
  for (const key of Object.keys(handlers).map(Number) as ApiKey[]) {
    const versions = servedVersions(handlers, key);
    if (versions === undefined) throw new Error(`${API_INFO[key].name}: the handler serves no version the codecs cover`);
    served.set(key, { codec: handlers[key]!.codec as ServedCodec['codec'], ...versions });
  }
  return {
    codecOf: (apiKey) => served.get(apiKey),
    dispatch: async (request, connection) => {
      const handle = handlers[request.apiKey]!.handle as Handler<typeof request.apiKey>;
      const authorize = (operation: AclOperation, resourceType: ResourceType, name: string) =>
        authorizer(connection.session, operation, resourceType, name);
      return handle(request.body as never, {
        apiVersion: request.apiVersion,
        header: request.header,
        connection,
        authorize,
        authorizeAny: (operation, resourceType) => authorizer(connection.session, operation, resourceType),
        authorizedOperations: (resourceType, name) =>
          SUPPORTED_OPERATIONS[resourceType]
            .filter((operation) => authorize(operation, resourceType, name))
            .reduce((bits, operation) => bits | (1 << OPERATION_CODES[operation]), 0),
      });
    },
  };
}
