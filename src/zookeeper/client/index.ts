// The ZooKeeper client's public API: what the broker imports.
export { ZooKeeperClient, type ZooKeeperClientOptions } from './zookeeper-client.js';
export type { ClientLogger, ClientLogLevel, ClientState } from './session.js';
export {
  MultiError,
  type ChildrenResult,
  type CreateMode,
  type CreateOptions,
  type CreateResult,
  type DataResult,
  type MultiOp,
  type MultiResult,
} from './requests.js';
export type { WatchEvent, WatchEventType, Watcher } from './watches.js';
export { parseConnectString, type ConnectString, type ServerAddress } from './connect-string.js';
export type { Stat } from '../jute/records.js';
export type { Acl } from '../protocol/acl.js';
export { Err, KeeperError } from '../protocol/codes.js';
