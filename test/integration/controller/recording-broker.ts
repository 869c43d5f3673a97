import { createRouter } from '../../../src/broker/api/dispatcher.js';
import type { HandlerTable } from '../../../src/broker/api/handler.js';
import { unsupportedApiVersionsResponse } from '../../../src/broker/api/api-versions.js';
import { SocketServer } from '../../../src/broker/network/socket-server.js';
import type { ApiMessages } from '../../../src/protocol/generated/apis.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { leaderAndIsrCodec } from '../../../src/protocol/generated/apis/leader-and-isr.js';
import { stopReplicaCodec } from '../../../src/protocol/generated/apis/stop-replica.js';
import { updateMetadataCodec } from '../../../src/protocol/generated/apis/update-metadata.js';
import { waitUntil } from '../../helpers/wait.js';

type ControlApi = typeof ApiKey.LeaderAndIsr | typeof ApiKey.UpdateMetadata | typeof ApiKey.StopReplica;

/** One request the controller sent, in arrival order. */
export type RecordedRequest = {
  [K in ControlApi]: { apiKey: K; apiVersion: number; body: ApiMessages[K]['request'] };
}[ControlApi];

/**
 * Stands in for kts brokers until the lead's broker side (LeaderAndIsr / UpdateMetadata /
 * StopReplica handlers, partitions with leader and follower roles) lands on main: the broker's
 * own network layer answering the three controller requests with success for every partition,
 * and recording them, so tests can check what the controller sent, in what order and version.
 * Tests that run real brokers replace it.
 */
export class RecordingBroker {
  private constructor(
    private readonly server: SocketServer,
    readonly port: number,
    readonly requests: RecordedRequest[],
  ) {}

  static async start(): Promise<RecordingBroker> {
    const requests: RecordedRequest[] = [];
    const record = (entry: RecordedRequest) => requests.push(entry);
    const handlers: HandlerTable = {
      [ApiKey.LeaderAndIsr]: {
        minVersion: 0,
        maxVersion: 7,
        codec: leaderAndIsrCodec,
        handle: (body, ctx) => {
          record({ apiKey: ApiKey.LeaderAndIsr, apiVersion: ctx.apiVersion, body });
          return {
            errorCode: 0,
            partitionErrors: [],
            topics: body.topicStates.map((t) => ({
              topicId: t.topicId,
              partitionErrors: t.partitionStates.map((p) => ({ topicName: '', partitionIndex: p.partitionIndex, errorCode: 0 })),
            })),
          };
        },
      },
      [ApiKey.UpdateMetadata]: {
        minVersion: 0,
        maxVersion: 8,
        codec: updateMetadataCodec,
        handle: (body, ctx) => {
          record({ apiKey: ApiKey.UpdateMetadata, apiVersion: ctx.apiVersion, body });
          return { errorCode: 0 };
        },
      },
      [ApiKey.StopReplica]: {
        minVersion: 0,
        maxVersion: 4,
        codec: stopReplicaCodec,
        handle: (body, ctx) => {
          record({ apiKey: ApiKey.StopReplica, apiVersion: ctx.apiVersion, body });
          return {
            errorCode: 0,
            partitionErrors: body.topicStates.flatMap((t) =>
              t.partitionStates.map((p) => ({ topicName: t.topicName, partitionIndex: p.partitionIndex, errorCode: 0 })),
            ),
          };
        },
      },
    };
    const server = new SocketServer({
      maxRequestBytes: 100 << 20,
      idleTimeoutMs: 600_000,
      maxInFlight: 100,
      maxQueuedResponseBytes: 16 << 20,
      router: createRouter(handlers),
      apiVersionsFallback: () => unsupportedApiVersionsResponse(handlers),
      onError: () => undefined,
      onHandlerFailure: () => undefined,
    });
    const [bound] = await server.listen([{ name: 'PLAINTEXT', host: '127.0.0.1', port: 0 }]);
    return new RecordingBroker(server, bound!.boundPort, requests);
  }

  /** Requests of one API, in arrival order. */
  of<K extends ControlApi>(apiKey: K): Extract<RecordedRequest, { apiKey: K }>[] {
    return this.requests.filter((r): r is Extract<RecordedRequest, { apiKey: K }> => r.apiKey === apiKey);
  }

  /** Waits until a recorded request satisfies `match` (polling, bounded). */
  async waitFor<K extends ControlApi>(
    apiKey: K,
    match: (body: ApiMessages[K]['request']) => boolean,
    what = `${apiKey} request`,
  ): Promise<ApiMessages[K]['request']> {
    let found: ApiMessages[K]['request'] | undefined;
    await waitUntil(() => (found = this.of(apiKey).find((r) => match(r.body))?.body) !== undefined, what);
    return found!;
  }

  clear(): void {
    this.requests.length = 0;
  }

  /**
   * Stops once the controllers' connections are gone (stop controllers first): a socket server
   * closing gracefully stops reading, so it would not notice a connection closed just after.
   */
  async stop(): Promise<void> {
    await waitUntil(() => this.server.connectionCount === 0, 'the controller connections to close', 2000);
    await this.server.close();
  }
}
