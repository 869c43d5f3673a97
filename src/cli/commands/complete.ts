import { Argument, type Command } from 'commander';
import { VersionedCluster } from '../../client/versioned-cluster.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { DYNAMIC_KINDS, type DynamicKind } from '../completion/values.js';
import { clientProperties, selectProfile } from '../profiles/active-profile.js';
import { profileNames } from '../profiles/profile-store.js';

/** What a completion may take, start-up included: a shell waiting longer feels broken. */
const DEFAULT_DEADLINE_MS = 300;
/** Overrides DEFAULT_DEADLINE_MS, for a slow machine or a distant cluster. */
export const DEADLINE_ENV = 'KTS_COMPLETION_TIMEOUT_MS';

/**
 * `kts __complete topics|groups|profiles`, for the shell completion scripts: the names, one per
 * line, from the current profile's cluster (profiles: from the config directory). Silent and
 * exit 0 on any failure, and never past DEFAULT_DEADLINE_MS ($KTS_COMPLETION_TIMEOUT_MS) after the
 * process started; each connection and request within two thirds of it.
 */
export function configure(cmd: Command): void {
  cmd.addArgument(new Argument('<kind>', 'what to list').choices(DYNAMIC_KINDS)).action(async (kind: DynamicKind) => {
    const deadline = Number(process.env[DEADLINE_ENV]) || DEFAULT_DEADLINE_MS;
    setTimeout(() => process.exit(0), Math.max(0, deadline - performance.now())).unref();
    try {
      const names = await list(kind);
      process.stdout.write(names.map((n) => `${n}\n`).join(''));
    } catch {
      // Nothing to offer: the shell falls back to its default completion.
    }
  });
}

async function list(kind: DynamicKind): Promise<string[]> {
  if (kind === 'profiles') return profileNames();
  selectProfile(undefined);
  const properties = clientProperties();
  const network = String(Math.ceil(((Number(process.env[DEADLINE_ENV]) || DEFAULT_DEADLINE_MS) * 2) / 3));
  properties.set('request.timeout.ms', network);
  properties.set('socket.connection.setup.timeout.ms', network);
  const cluster = await VersionedCluster.open({ properties });
  try {
    if (kind === 'topics') return (await cluster.metadata(null)).topics.flatMap((t) => (t.name === null ? [] : [t.name])).sort();
    const { brokers } = await cluster.metadata([]);
    const groups = new Set<string>();
    for (const broker of brokers) {
      const conn = await cluster.connection(broker);
      const response = await conn.request(ApiKey.ListGroups, { statesFilter: [], typesFilter: [] });
      for (const g of response.groups) if (g.protocolType === 'consumer' || g.protocolType === '') groups.add(g.groupId);
    }
    return [...groups].sort();
  } finally {
    cluster.close();
  }
}
