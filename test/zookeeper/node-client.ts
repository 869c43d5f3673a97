import zookeeper from 'node-zookeeper-client';

/** Promise wrappers over node-zookeeper-client (callback API), bounded by a connect timeout. */
export interface Zk {
  raw: zookeeper.Client;
  create(path: string, data?: string, mode?: number): Promise<string>;
  get(path: string, watcher?: (e: zookeeper.Event) => void): Promise<string>;
  set(path: string, data: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  children(path: string): Promise<string[]>;
  remove(path: string): Promise<void>;
  close(): void;
}

export async function connectZk(connectString: string, sessionTimeout = 30_000): Promise<Zk> {
  const client = zookeeper.createClient(connectString, { sessionTimeout, retries: 0 });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`could not connect to ${connectString}`));
    }, 10_000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    client.connect();
  });
  const cb =
    <T>(resolve: (v: T) => void, reject: (e: Error) => void) =>
    (err: Error | null, value: T): void =>
      err ? reject(err) : resolve(value);
  return {
    raw: client,
    create: (path, data, mode = zookeeper.CreateMode.PERSISTENT) =>
      new Promise((res, rej) =>
        client.create(path, data === undefined ? undefined : Buffer.from(data), zookeeper.ACL.OPEN_ACL_UNSAFE, mode, cb(res, rej)),
      ),
    get: (path, watcher) =>
      new Promise((res, rej) => {
        const done = (err: Error | null, data: Buffer): void => (err ? rej(err) : res(data?.toString() ?? ''));
        if (watcher) client.getData(path, watcher, done);
        else client.getData(path, done);
      }),
    set: (path, data) => new Promise((res, rej) => client.setData(path, Buffer.from(data), -1, (err) => (err ? rej(err) : res()))),
    exists: (path) => new Promise((res, rej) => client.exists(path, (err, stat) => (err ? rej(err) : res(!!stat)))),
    children: (path) => new Promise((res, rej) => client.getChildren(path, cb(res, rej))),
    remove: (path) => new Promise((res, rej) => client.remove(path, -1, (err) => (err ? rej(err) : res()))),
    close: () => client.close(),
  };
}
