import type { ApiCodec } from '../../protocol/api-descriptor.js';
import type { RequestRouter } from '../network/connection.js';
import type { Handler, HandlerTable } from './handler.js';

/** Routes decoded requests to their handler; requests of other APIs never decode (the connection closes, as Kafka does). */
export function createRouter(handlers: HandlerTable): RequestRouter {
  return {
    codecOf: (apiKey) => handlers[apiKey]?.codec as ApiCodec | undefined,
    dispatch: async (request, connection) => {
      const handle = handlers[request.apiKey]!.handle as Handler<typeof request.apiKey>;
      return handle(request.body as never, { apiVersion: request.apiVersion, header: request.header, connection });
    },
  };
}
