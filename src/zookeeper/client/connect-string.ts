import { isValidPath } from '../protocol/path.js';

export interface ServerAddress {
  host: string;
  port: number;
}

/** `zookeeper.connect` taken apart: the ensemble, and the chroot every path lives under. */
export interface ConnectString {
  servers: ServerAddress[];
  /** undefined for none (a bare `/` counts as none, as in ZooKeeper). */
  chroot: string | undefined;
}

const DEFAULT_PORT = 2181;

/**
 * ConnectStringParser: `host1:2181,host2:2181,[::1]:2181/chroot`; a host without a port uses 2181,
 * the chroot starts at the first `/`. Throws one line naming what is wrong.
 */
export function parseConnectString(connectString: string): ConnectString {
  const text = connectString.trim();
  if (text === '') throw new Error('The ZooKeeper connect string is empty');
  const slash = text.indexOf('/');
  const hosts = slash < 0 ? text : text.slice(0, slash);
  let chroot: string | undefined = slash < 0 ? undefined : text.slice(slash);
  if (chroot === '/') chroot = undefined;
  if (chroot !== undefined && !isValidPath(chroot)) {
    throw new Error(`Invalid chroot path ${chroot} in ZooKeeper connect string ${connectString}`);
  }
  const servers = hosts
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '')
    .map((h) => parseHost(h, connectString));
  if (servers.length === 0) throw new Error(`No ZooKeeper server in connect string ${connectString}`);
  return { servers, chroot };
}

function parseHost(entry: string, connectString: string): ServerAddress {
  const ipv6 = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  const [host, port] = ipv6 ? [ipv6[1]!, ipv6[2]] : splitPort(entry);
  if (host === '') throw new Error(`Missing host in ${entry} of ZooKeeper connect string ${connectString}`);
  if (port === undefined || port === '') return { host, port: DEFAULT_PORT };
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) {
    throw new Error(`Invalid port ${port} in ZooKeeper connect string ${connectString}`);
  }
  return { host, port: n };
}

function splitPort(entry: string): [string, string | undefined] {
  const colon = entry.lastIndexOf(':');
  return colon < 0 ? [entry, undefined] : [entry.slice(0, colon), entry.slice(colon + 1)];
}

export function formatServer(s: ServerAddress): string {
  return s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
}

/** Adds the chroot to a client path (ZooKeeper.prependChroot). */
export function toServerPath(chroot: string | undefined, path: string): string {
  if (chroot === undefined) return path;
  return path === '/' ? chroot : chroot + path;
}

/** Removes the chroot from a path the server sent (ClientCnxn.stripChroot); other paths are left as they are. */
export function toClientPath(chroot: string | undefined, path: string): string {
  if (chroot === undefined) return path;
  if (path === chroot) return '/';
  return path.startsWith(`${chroot}/`) ? path.slice(chroot.length) : path;
}
