import { type Stat, Err, KeeperError, type WatchEvent, ZooKeeperClient } from '../../zookeeper/client/index.js';
import { KtsError } from '../../util/errors.js';

/** Where ZooKeeperMain writes: results on stdout, `Created ...` and errors on stderr. */
export interface ShellOutput {
  out(text: string): void;
  err(text: string): void;
}

/** ZooKeeper's CLI words for the watch events it prints. */
const EVENT_TYPES: Record<WatchEvent['type'], string> = {
  created: 'NodeCreated',
  deleted: 'NodeDeleted',
  dataChanged: 'NodeDataChanged',
  childrenChanged: 'NodeChildrenChanged',
};

/** ZooKeeperMain's messages for the KeeperExceptions its commands catch. */
const ERRORS: ReadonlyMap<number, string> = new Map([
  [Err.NONODE, 'Node does not exist: '],
  [Err.NOTEMPTY, 'Node not empty: '],
  [Err.NODEEXISTS, 'Node already exists: '],
  [Err.BADVERSION, 'version No is not valid : '],
  [Err.NOAUTH, 'Insufficient permission : '],
  [Err.NOCHILDRENFOREPHEMERALS, 'Ephemerals cannot have children: '],
]);

const COMMANDS = [
  'create [-s] [-e] [-c] path [data]',
  'delete [-v version] path',
  'deleteall path',
  'get [-s] [-w] path',
  'ls [-s] [-w] [-R] path',
  'quit',
  'set [-s] [-v version] path data',
  'stat [-w] path',
];

const USAGE = `ZooKeeper -server host:port -client-configuration properties-file cmd args\n${COMMANDS.map((c) => `\t${c}\n`).join('')}`;

/**
 * Kafka's zookeeper-shell.sh: Apache ZooKeeper 3.8's ZooKeeperMain on kts's ZooKeeper client, with
 * its lines on the same streams. One command from the arguments, or a script on stdin (as
 * ZooKeeperMain reads it without JLine), then `quit` or the end of the input.
 */
export class ZooKeeperShell {
  /** A command failed (the exit code of a command given as arguments). */
  failed = false;

  private constructor(
    private readonly client: ZooKeeperClient,
    private readonly output: ShellOutput,
  ) {}

  /** Prints ZooKeeperMain's banner around connecting; a ZooKeeper that does not answer within `timeoutMs` is a one-line error. */
  static async connect(connectString: string, output: ShellOutput, interactive: boolean, timeoutMs: number): Promise<ZooKeeperShell> {
    output.out(`Connecting to ${connectString}\n`);
    if (interactive) output.out('Welcome to ZooKeeper!\nJLine support is disabled\n');
    let client: ZooKeeperClient;
    try {
      client = await ZooKeeperClient.connect({ connectString, sessionTimeoutMs: 30_000, connectionTimeoutMs: timeoutMs });
    } catch (err) {
      throw new KtsError(`Error: ${(err as Error).message}`);
    }
    output.out(watcherBlock('SyncConnected', 'None', null));
    return new ZooKeeperShell(client, output);
  }

  /** Runs one command line; returns false for `quit`. */
  async execute(line: string): Promise<boolean> {
    const words = tokenize(line);
    if (words.length === 0) return true;
    const [command, ...args] = words as [string, ...string[]];
    if (command === 'quit' || command === 'close') return false;
    try {
      await this.#run(command, args);
    } catch (err) {
      this.failed = true;
      const known = err instanceof KeeperError ? ERRORS.get(err.code) : undefined;
      this.output.err(known ? `${known}${(err as KeeperError).path ?? ''}\n` : `${(err as Error).message}\n`);
    }
    return true;
  }

  /** `quit`: ZooKeeperMain prints the Closed event as its session ends. */
  async quit(): Promise<void> {
    await this.close();
    this.output.out(watcherBlock('Closed', 'None', null));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async #run(command: string, args: string[]): Promise<void> {
    const { flags, rest } = options(args);
    const path = rest[0];
    const { client, output } = this;
    const watch = flags.has('w')
      ? (event: WatchEvent) => output.out(watcherBlock('SyncConnected', EVENT_TYPES[event.type], event.path))
      : undefined;
    if (!COMMANDS.some((c) => c.startsWith(`${command} `)) || path === undefined) {
      this.failed = true;
      output.err(USAGE);
      return;
    }
    checkPath(path, command === 'create' && flags.has('s'));
    switch (command) {
      case 'ls': {
        if (flags.has('R')) {
          for (const p of await this.#tree(path)) output.out(`${p}\n`);
          return;
        }
        const { children, stat } = await client.getChildrenWithStat(path, watch);
        output.out(`[${children.sort().join(', ')}]\n`);
        if (flags.has('s')) output.out(formatStat(stat));
        return;
      }
      case 'get': {
        const { data, stat } = await client.getData(path, watch);
        output.out(`${data.toString('utf8')}\n`);
        if (flags.has('s')) output.out(formatStat(stat));
        return;
      }
      case 'stat': {
        const stat = await client.exists(path, watch);
        if (stat === null) throw new KeeperError(Err.NONODE, path);
        output.out(formatStat(stat));
        return;
      }
      case 'create': {
        const ephemeral = flags.has('e');
        const sequential = flags.has('s');
        const mode = flags.has('c') ? 'container' : `${ephemeral ? 'ephemeral' : 'persistent'}${sequential ? '_sequential' : ''}`;
        const created = await client.create(path, rest[1] === undefined ? null : Buffer.from(rest[1]), { mode: mode as 'persistent' });
        output.err(`Created ${created}\n`);
        return;
      }
      case 'set': {
        if (rest[1] === undefined) {
          this.failed = true;
          output.err(USAGE);
          return;
        }
        const stat = await client.setData(path, Buffer.from(rest[1]), version(flags));
        if (flags.has('s')) output.out(formatStat(stat));
        return;
      }
      case 'delete':
        await client.delete(path, version(flags));
        return;
      case 'deleteall':
        for (const p of (await this.#tree(path)).reverse()) {
          await client.delete(p).catch((err: unknown) => {
            if (!(err instanceof KeeperError && err.code === Err.NONODE)) throw err;
          });
        }
        return;
    }
  }

  /** `path` and everything under it, breadth first (ZKUtil.listSubTreeBFS). */
  async #tree(path: string): Promise<string[]> {
    const found = [path];
    for (let i = 0; i < found.length; i++) {
      const parent = found[i]!;
      for (const child of (await this.client.getChildren(parent)).sort()) found.push(parent === '/' ? `/${child}` : `${parent}/${child}`);
    }
    return found;
  }
}

/** ZooKeeper's PathUtils.validatePath messages, which ZooKeeperMain prints as they are. */
function checkPath(path: string, sequential: boolean): void {
  if (!path.startsWith('/')) throw new Error('Path must start with / character');
  if (path.length > 1 && path.endsWith('/') && !sequential) throw new Error('Path must not end with / character');
}

function watcherBlock(state: string, type: string, path: string | null): string {
  return `\nWATCHER::\n\nWatchedEvent state:${state} type:${type} path:${path}\n`;
}

/** `-s -w path data`: single-letter flags (`-v` takes a value) before the arguments. */
function options(args: readonly string[]): { flags: Map<string, string>; rest: string[] } {
  const flags = new Map<string, string>();
  let i = 0;
  for (; i < args.length && /^-[a-zA-Z]$/.test(args[i]!); i++) {
    const flag = args[i]!.slice(1);
    if (flag === 'v' || flag === 't') flags.set(flag, args[++i] ?? '');
    else flags.set(flag, '');
  }
  return { flags, rest: args.slice(i) };
}

function version(flags: Map<string, string>): number {
  const text = flags.get('v');
  if (text === undefined) return -1;
  if (!/^-?\d+$/.test(text)) throw new Error(`version ${text} is not a number`);
  return Number(text);
}

/** ZooKeeperMain's command line: words separated by spaces, `"..."` and `'...'` quoting. */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(pattern)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

/** ZooKeeper's StatPrinter: hex zxids and owner, times as Java's Date.toString in the local zone. */
export function formatStat(stat: Stat): string {
  const lines = [
    `cZxid = 0x${stat.czxid.toString(16)}`,
    `ctime = ${javaDate(stat.ctime)}`,
    `mZxid = 0x${stat.mzxid.toString(16)}`,
    `mtime = ${javaDate(stat.mtime)}`,
    `pZxid = 0x${stat.pzxid.toString(16)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = 0x${stat.ephemeralOwner.toString(16)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Java's Date.toString: `Sun Dec 06 10:51:01 UTC 2026`. */
function javaDate(ms: number): string {
  const date = new Date(ms);
  const parts = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    year: 'numeric',
    timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('month')} ${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')} ${part('year')}`;
}
