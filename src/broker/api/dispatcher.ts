import { APIS } from '../../protocol/generated/apis.js';
import type { RequestDispatcher } from '../network/connection.js';
import type { Handler, HandlerTable } from './handler.js';

/** Routes decoded requests to their handler; an API without one closes the connection, as Kafka does. */
export function createDispatcher(handlers: HandlerTable): RequestDispatcher {
  return async (request, connection) => {
    const handler = handlers[request.apiKey] as Handler<typeof request.apiKey> | undefined;
    if (!handler) throw new Error(`${APIS[request.apiKey].name} is not supported by this broker`);
    return handler(request.body as never, { apiVersion: request.apiVersion, header: request.header, connection });
  };
}
