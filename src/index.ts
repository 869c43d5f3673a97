/** kts as a library: embedded servers for test suites and tools. */
export { startZooKeeper, type RunningZooKeeper, type StartOptions as ZooKeeperStartOptions } from './zookeeper/server.js';
