/** The part of node-zookeeper-client (which publishes no types) that the ZooKeeper tests use. */
declare module 'node-zookeeper-client' {
  import type { EventEmitter } from 'node:events';

  namespace zookeeper {
    interface Stat {
      version: number;
    }
    interface Event {
      type: number;
      name: string;
      path: string;
    }
    interface Id {
      scheme: string;
      id: string;
    }
    interface ACL {
      permission: number;
      id: Id;
    }
    type Callback<T> = (error: Error | null, value: T) => void;
    interface Client extends EventEmitter {
      connect(): void;
      close(): void;
      create(path: string, data: Buffer | undefined, acls: ACL[], mode: number, callback: Callback<string>): void;
      getData(path: string, watcher: (event: Event) => void, callback: Callback<Buffer>): void;
      getData(path: string, callback: Callback<Buffer>): void;
      setData(path: string, data: Buffer, version: number, callback: Callback<Stat>): void;
      exists(path: string, callback: Callback<Stat | null>): void;
      getChildren(path: string, callback: Callback<string[]>): void;
      remove(path: string, version: number, callback: (error: Error | null) => void): void;
    }
    function createClient(connectString: string, options?: { sessionTimeout?: number; spinDelay?: number; retries?: number }): Client;
    const CreateMode: { PERSISTENT: number; PERSISTENT_SEQUENTIAL: number; EPHEMERAL: number; EPHEMERAL_SEQUENTIAL: number };
    const ACL: { OPEN_ACL_UNSAFE: ACL[] };
  }
  export = zookeeper;
}
