import { Err } from '../../zookeeper/client/index.js';
import type { BrokerLogger } from '../broker-logger.js';
import { isKeeperError, type KafkaZkClient } from './kafka-zk-client.js';
import {
  CONFIG_CHANGE_PREFIX,
  CONFIG_CHANGES_PATH,
  CONFIG_ENTITY_TYPES,
  type ConfigEntityType,
  decodeConfigChangeNotification,
  ZkDataError,
} from './zk-data.js';

/** Kafka's ZkNodeChangeNotificationListener.changeExpirationMs: handled notifications older than this are deleted. */
const CHANGE_EXPIRATION_MS = 15 * 60 * 1000;

/** An entity whose configs changed: `users` entities may be nested (`alice/clients/app1`). */
export interface ChangedEntity {
  readonly type: ConfigEntityType;
  /** Sanitized, as in the znode path. */
  readonly name: string;
}

export interface ConfigChangeListenerOptions {
  zk: KafkaZkClient;
  onChange: (entity: ChangedEntity) => void | Promise<void>;
  log: BrokerLogger;
  now?: () => number;
}

/** What a notification listener follows: where the sequential znodes are and what each says. */
export interface NotificationListenerOptions<T> {
  zk: KafkaZkClient;
  /** The parent of the sequential notification znodes, e.g. `/config/changes`. */
  path: string;
  /** Their name before the sequence number, e.g. `config_change_`. */
  prefix: string;
  /** A notification's content; throws ZkDataError for one that does not read. */
  decode: (data: Buffer) => T;
  /** How errors name a change. */
  describe: (change: T) => string;
  onChange: (change: T) => void | Promise<void>;
  log: BrokerLogger;
  now?: () => number;
}

/**
 * Follows `/config/changes` as every Kafka broker does (ZkConfigManager's handler): changes
 * are reported by entity; what changed is for the callback to read.
 */
export class ConfigChangeListener {
  readonly #listener: ZkNotificationListener<ChangedEntity>;

  constructor(options: ConfigChangeListenerOptions) {
    this.#listener = new ZkNotificationListener({
      ...options,
      path: CONFIG_CHANGES_PATH,
      prefix: CONFIG_CHANGE_PREFIX,
      decode: (data) => parseEntityPath(decodeConfigChangeNotification(data)),
      describe: (entity) => `config change of ${entity.type}/${entity.name}`,
    });
  }

  start(): Promise<void> {
    return this.#listener.start();
  }

  stop(): void {
    this.#listener.stop();
  }
}

/**
 * Kafka's ZkNodeChangeNotificationListener: a child watch on a path of sequential
 * notifications, handled in sequence order, each once, above the last one handled; handled ones
 * older than 15 minutes deleted. `start` handles what is there and arms the watch; call it again
 * after a new session (the watch went with the old one).
 */
export class ZkNotificationListener<T> {
  #lastHandled = -1;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(private readonly options: NotificationListenerOptions<T>) {
    options.zk.registerChildChangeHandler(options.path, () => void this.#schedule());
  }

  /** Handles the notifications present now and arms the watch; resolves when they are handled. */
  start(): Promise<void> {
    this.#stopped = false;
    return this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.options.zk.unregisterHandler(this.options.path);
  }

  #schedule(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          if (!this.#stopped) await this.#process();
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async #process(): Promise<void> {
    const { zk, log, path, prefix } = this.options;
    let children: string[];
    try {
      children = await zk.getChildren(path, true);
    } catch (err) {
      log('warn', `Cannot read ${path}: ${(err as Error).message}`);
      return;
    }
    const sequenced = children
      .filter((c) => c.startsWith(prefix))
      .map((name) => ({ name, seq: Number(name.slice(prefix.length)) }))
      .filter((c) => Number.isInteger(c.seq))
      .sort((a, b) => a.seq - b.seq);
    const now = this.options.now?.() ?? Date.now();
    for (const { name, seq } of sequenced) {
      if (this.#stopped) return;
      const node = await zk.getData(`${path}/${name}`).catch((err: unknown) => {
        if (isKeeperError(err, Err.NONODE)) return null;
        throw err;
      });
      if (seq > this.#lastHandled) {
        if (node !== null) await this.#handle(name, node.data);
        this.#lastHandled = seq;
      } else if (node !== null && node.stat.ctime + CHANGE_EXPIRATION_MS < now) {
        await zk.deleteNotification(`${path}/${name}`);
      }
    }
  }

  async #handle(name: string, data: Buffer): Promise<void> {
    let change: T;
    try {
      change = this.options.decode(data);
    } catch (err) {
      if (!(err instanceof ZkDataError)) throw err;
      this.options.log('warn', `Ignoring notification ${this.options.path}/${name}: ${err.message}`);
      return;
    }
    try {
      await this.options.onChange(change);
    } catch (err) {
      this.options.log('error', `Applying the ${this.options.describe(change)} (${name}) failed: ${(err as Error).message}`);
    }
  }
}

function parseEntityPath(path: string): ChangedEntity {
  const slash = path.indexOf('/');
  const type = path.slice(0, slash);
  if (slash <= 0 || !(CONFIG_ENTITY_TYPES as readonly string[]).includes(type)) {
    throw new ZkDataError(`unknown entity path ${JSON.stringify(path)}`);
  }
  return { type: type as ConfigEntityType, name: path.slice(slash + 1) };
}
