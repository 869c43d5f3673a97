/** The settings of a standalone server, from zookeeper.properties (zoo.cfg) keys. */
export interface ZooKeeperConfig {
  clientPort: number;
  clientPortAddress: string | undefined;
  dataDir: string;
  dataLogDir: string;
  tickTime: number;
  /** Concurrent connections per client address; 0 = unlimited. */
  maxClientCnxns: number;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  snapRetainCount: number;
  /** Hours between purges of old snapshots and logs; 0 = never. */
  purgeIntervalHours: number;
  snapCount: number;
  forceSync: boolean;
  /** Largest packet accepted (jute.maxbuffer). */
  maxBuffer: number;
  fourLetterWords: ReadonlySet<string>;
  /** How often empty containers and expired TTL nodes are deleted. */
  containerCheckIntervalMs: number;
}

export interface ParsedConfig {
  config: ZooKeeperConfig;
  /** One line each, for stderr: unknown keys, ignored ensemble settings. */
  warnings: string[];
}

export const FOUR_LETTER_WORDS = ['ruok', 'stat', 'srvr', 'mntr', 'conf'] as const;

/** Accepted for compatibility, no effect on a standalone server. */
const ENSEMBLE_KEYS = new Set(['initLimit', 'syncLimit', 'peerType', 'electionAlg', 'standaloneEnabled', 'reconfigEnabled']);
const KNOWN_KEYS = new Set([
  'clientPort',
  'clientPortAddress',
  'dataDir',
  'dataLogDir',
  'tickTime',
  'maxClientCnxns',
  'minSessionTimeout',
  'maxSessionTimeout',
  'autopurge.snapRetainCount',
  'autopurge.purgeInterval',
  'snapCount',
  'forceSync',
  'jute.maxbuffer',
  '4lw.commands.whitelist',
  'znode.container.checkIntervalMs',
]);

/** Parses and validates properties as ZooKeeper's QuorumPeerConfig does; throws one-line errors. */
export function parseConfig(props: ReadonlyMap<string, string>): ParsedConfig {
  const get = (key: string): string | undefined => props.get(key)?.trim();
  const int = (key: string, fallback: number, min = 0): number => {
    const text = get(key);
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
      throw new Error(`Invalid value for ${key}: '${text}' (expected an integer >= ${min})`);
    }
    return value;
  };
  const dataDir = get('dataDir');
  if (!dataDir) throw new Error('dataDir is not set');
  if (get('clientPort') === undefined) throw new Error('clientPort is not set');
  const clientPort = int('clientPort', 0);
  if (clientPort > 65535) throw new Error(`Invalid value for clientPort: '${clientPort}' (expected 0-65535)`);
  const tickTime = int('tickTime', 3000, 1);
  const minSessionTimeout = int('minSessionTimeout', 2 * tickTime, 1);
  const maxSessionTimeout = int('maxSessionTimeout', 20 * tickTime, 1);
  if (minSessionTimeout > maxSessionTimeout) {
    throw new Error(`minSessionTimeout ${minSessionTimeout} must not be larger than maxSessionTimeout ${maxSessionTimeout}`);
  }
  const forceSync = (get('forceSync') ?? 'yes').toLowerCase();
  if (forceSync !== 'yes' && forceSync !== 'no') throw new Error(`Invalid value for forceSync: '${forceSync}' (expected yes or no)`);
  const whitelist = get('4lw.commands.whitelist');
  const warnings: string[] = [];
  const unknown: string[] = [];
  const servers: string[] = [];
  for (const key of props.keys()) {
    if (KNOWN_KEYS.has(key) || ENSEMBLE_KEYS.has(key) || key.startsWith('admin.')) continue;
    if (/^server\.\d+$/.test(key)) servers.push(key);
    else unknown.push(key);
  }
  if (servers.length > 0) {
    warnings.push(`WARN: ${servers.join(', ')} ignored: kts runs a standalone ZooKeeper server; replicated ensembles are not supported`);
  }
  if (unknown.length > 0) warnings.push(`WARN: unknown ZooKeeper configuration keys ignored: ${unknown.join(', ')}`);
  return {
    config: {
      clientPort,
      clientPortAddress: get('clientPortAddress') || undefined,
      dataDir,
      dataLogDir: get('dataLogDir') || dataDir,
      tickTime,
      maxClientCnxns: int('maxClientCnxns', 60),
      minSessionTimeout,
      maxSessionTimeout,
      snapRetainCount: Math.max(3, int('autopurge.snapRetainCount', 3)),
      purgeIntervalHours: int('autopurge.purgeInterval', 0),
      snapCount: int('snapCount', 100_000, 2),
      forceSync: forceSync === 'yes',
      maxBuffer: int('jute.maxbuffer', 0xfffff, 1),
      fourLetterWords: parseWhitelist(whitelist),
      containerCheckIntervalMs: int('znode.container.checkIntervalMs', 60_000, 1),
    },
    warnings,
  };
}

function parseWhitelist(text: string | undefined): ReadonlySet<string> {
  if (text === undefined) return new Set(FOUR_LETTER_WORDS);
  const words = text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  return new Set(words.includes('*') ? FOUR_LETTER_WORDS : words);
}
