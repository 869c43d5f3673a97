/** Every admin word ZooKeeper recognizes on a fresh connection (whitelisted or not). */
export const KNOWN_WORDS = new Set([
  'conf',
  'cons',
  'crst',
  'dirs',
  'dump',
  'envi',
  'gtmk',
  'hash',
  'isro',
  'mntr',
  'ruok',
  'srst',
  'srvr',
  'stat',
  'stmk',
  'wchc',
  'wchp',
  'wchs',
]);

/** What the words report; gathered by the server at the moment of asking. */
export interface ServerReport {
  version: string;
  clients: { address: string; received: number; sent: number }[];
  latency: { min: number; avg: number; max: number };
  received: number;
  sent: number;
  outstanding: number;
  zxid: number;
  nodeCount: number;
  watchCount: number;
  ephemeralsCount: number;
  sessions: number;
  approximateDataSize: number;
  config: Record<string, string | number>;
}

/** The plain-text answer to `word`, formatted as ZooKeeper 3.8 does. */
export function answer(word: string, allowed: ReadonlySet<string>, report: () => ServerReport): string {
  if (!allowed.has(word)) return `${word} is not executed because it is not in the whitelist.\n`;
  switch (word) {
    case 'ruok':
      return 'imok';
    case 'srvr':
      return summary(report(), false);
    case 'stat':
      return summary(report(), true);
    case 'mntr':
      return mntr(report());
    case 'conf':
      return Object.entries(report().config)
        .map(([k, v]) => `${k}=${v}\n`)
        .join('');
    default:
      return `${word} is not executed because it is not in the whitelist.\n`;
  }
}

function summary(r: ServerReport, withClients: boolean): string {
  const lines = [`Zookeeper version: ${r.version}`];
  if (withClients) {
    lines.push('Clients:');
    for (const c of r.clients) lines.push(` /${c.address}[1](queued=0,recved=${c.received},sent=${c.sent})`);
    lines.push('');
  }
  lines.push(
    `Latency min/avg/max: ${r.latency.min}/${r.latency.avg.toFixed(4)}/${r.latency.max}`,
    `Received: ${r.received}`,
    `Sent: ${r.sent}`,
    `Connections: ${r.clients.length}`,
    `Outstanding: ${r.outstanding}`,
    `Zxid: 0x${r.zxid.toString(16)}`,
    'Mode: standalone',
    `Node count: ${r.nodeCount}`,
  );
  return `${lines.join('\n')}\n`;
}

function mntr(r: ServerReport): string {
  const rows: [string, string | number][] = [
    ['zk_version', r.version],
    ['zk_server_state', 'standalone'],
    ['zk_ephemerals_count', r.ephemeralsCount],
    ['zk_num_alive_connections', r.clients.length],
    ['zk_avg_latency', r.latency.avg.toFixed(4)],
    ['zk_outstanding_requests', r.outstanding],
    ['zk_znode_count', r.nodeCount],
    ['zk_global_sessions', r.sessions],
    ['zk_packets_sent', r.sent],
    ['zk_packets_received', r.received],
    ['zk_watch_count', r.watchCount],
    ['zk_min_latency', r.latency.min],
    ['zk_max_latency', r.latency.max],
    ['zk_approximate_data_size', r.approximateDataSize],
  ];
  return rows.map(([k, v]) => `${k}\t${v}\n`).join('');
}
