import type { InterBrokerSecurity } from '../security/listener-security.js';
import { RawKafkaConnection } from '../../client/raw-connection.js';
import type { ApiMessages } from '../../protocol/generated/apis.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { BrokerLogger } from '../broker-logger.js';
import type { BrokerEndpoint, RegisteredBroker } from '../zk/zk-data.js';

/** The controller-to-broker requests. */
export type ControlApiKey = typeof ApiKey.LeaderAndIsr | typeof ApiKey.UpdateMetadata | typeof ApiKey.StopReplica;

/** The versions Kafka 3.9's controller sends at its default IBP (>= 3.4-IV0). */
export const CONTROL_REQUEST_VERSIONS: Readonly<Record<ControlApiKey, number>> = {
  [ApiKey.LeaderAndIsr]: 7,
  [ApiKey.UpdateMetadata]: 8,
  [ApiKey.StopReplica]: 4,
};

/** Kafka's ControllerChannelManager retries a request every 100 ms until it succeeds or the broker is removed. */
const RETRY_BACKOFF_MS = 100;

export interface ControllerChannelOptions {
  controllerId: number;
  /** The listener brokers are reached on: the controller's `inter.broker.listener.name`. */
  listenerName: string;
  /** `controller.socket.timeout.ms`: bounds connecting and each request. */
  socketTimeoutMs: number;
  /** TLS and SASL login of the inter-broker listener. */
  security: InterBrokerSecurity;
  log: BrokerLogger;
}

interface QueuedRequest<K extends ControlApiKey = ControlApiKey> {
  readonly apiKey: K;
  readonly body: ApiMessages[K]['request'];
  readonly onResponse: ((response: ApiMessages[K]['response']) => void) | undefined;
}

/**
 * The controller's connections to brokers (Kafka's ControllerChannelManager): one connection and
 * one request in flight per broker, requests sent in the order queued. A request that fails
 * (connection refused or lost, timeout) is retried every 100 ms on a new connection until it is
 * answered or the broker is removed; responses go to the request's callback.
 */
export class ControllerChannel {
  readonly #senders = new Map<number, BrokerSender>();

  constructor(private readonly options: ControllerChannelOptions) {}

  addBroker(broker: RegisteredBroker): void {
    const id = broker.registration.id;
    if (this.#senders.has(id)) return;
    const endpoint = broker.registration.endpoints.find((e) => e.listenerName === this.options.listenerName);
    if (!endpoint) {
      // Kafka's BrokerEndPointNotAvailableException: such a broker is unreachable for the controller.
      this.options.log(
        'error',
        `Controller ${this.options.controllerId}: broker ${id} has no endpoint for listener ${this.options.listenerName} (inter.broker.listener.name); it will not get LeaderAndIsr, UpdateMetadata or StopReplica requests`,
      );
    }
    this.#senders.set(id, new BrokerSender(id, endpoint, this.options));
  }

  /** Stops sending to the broker; its queued requests are dropped. */
  removeBroker(id: number): void {
    this.#senders.get(id)?.stop();
    this.#senders.delete(id);
  }

  hasBroker(id: number): boolean {
    return this.#senders.has(id);
  }

  /** Queues a request to a broker added before; for any other broker it is dropped, as Kafka does. */
  send<K extends ControlApiKey>(
    brokerId: number,
    apiKey: K,
    body: ApiMessages[K]['request'],
    onResponse?: (response: ApiMessages[K]['response']) => void,
  ): void {
    const sender = this.#senders.get(brokerId);
    if (!sender) {
      this.options.log('warn', `Controller ${this.options.controllerId}: not sending a request to broker ${brokerId}, which is not live`);
      return;
    }
    sender.enqueue({ apiKey, body, onResponse } as QueuedRequest);
  }

  close(): void {
    for (const sender of this.#senders.values()) sender.stop();
    this.#senders.clear();
  }
}

/** One broker's queue and connection. */
class BrokerSender {
  readonly #queue: QueuedRequest[] = [];
  #connection: RawKafkaConnection | undefined;
  #stopped = false;
  #running = false;
  /** Wakes a backoff sleep early when the sender stops. */
  #wake: (() => void) | undefined;
  #failing = false;

  constructor(
    private readonly brokerId: number,
    private readonly endpoint: BrokerEndpoint | undefined,
    private readonly options: ControllerChannelOptions,
  ) {}

  enqueue(request: QueuedRequest): void {
    if (this.#stopped || !this.endpoint) return;
    this.#queue.push(request);
    if (!this.#running) void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#queue.length = 0;
    this.#connection?.close();
    this.#connection = undefined;
    this.#wake?.();
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (!this.#stopped && this.#queue.length > 0) {
        const request = this.#queue[0]!;
        let response: unknown;
        try {
          response = await this.#send(request);
        } catch (err) {
          if (this.#stopped) return;
          this.#connection?.close();
          this.#connection = undefined;
          if (!this.#failing) {
            // Once per run of failures: a broker that is down is retried quietly every 100 ms.
            this.options.log(
              'warn',
              `Controller ${this.options.controllerId}'s request to broker ${this.brokerId} (${this.endpoint!.host}:${this.endpoint!.port}) failed, retrying: ${(err as Error).message}`,
            );
            this.#failing = true;
          }
          await this.#sleep(RETRY_BACKOFF_MS);
          continue;
        }
        this.#failing = false;
        this.#queue.shift();
        if (this.#stopped) return;
        try {
          (request.onResponse as ((r: unknown) => void) | undefined)?.(response);
        } catch (err) {
          this.options.log(
            'error',
            `Controller ${this.options.controllerId}: handling a response from broker ${this.brokerId} failed: ${err}`,
          );
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #send(request: QueuedRequest): Promise<unknown> {
    const { host, port } = this.endpoint!;
    const timeoutMs = this.options.socketTimeoutMs;
    this.#connection ??= await RawKafkaConnection.open(host, port, {
      clientId: `controller-${this.options.controllerId}`,
      timeoutMs,
      ...this.options.security,
    });
    const connection = this.#connection;
    if (this.#stopped) connection.close();
    const timer = setTimeout(() => connection.close(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    try {
      return await connection.request(request.apiKey, CONTROL_REQUEST_VERSIONS[request.apiKey], request.body);
    } finally {
      clearTimeout(timer);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
