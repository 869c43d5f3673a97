/** kts as a library: embedded servers for test suites and tools. */
export { startZooKeeper, type RunningZooKeeper, type StartOptions as ZooKeeperStartOptions } from './zookeeper/server.js';
export {
  Broker,
  startBroker,
  type BrokerLogger,
  type BrokerLogLevel,
  type BrokerOptions,
  type StartBrokerOptions,
  type StartedBroker,
} from './broker/index.js';
