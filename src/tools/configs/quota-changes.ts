import { UsageError } from '../../util/errors.js';
import { isScramMechanism } from '../../client/scram.js';
import { isClientQuotaKey } from '../../protocol/client-quotas.js';
import type { ScramMechanism } from '../../client/scram.js';
import type { ConfigChanges } from './alter-configs.js';
import type { ScramChanges } from './scram-credentials.js';
import { parseJavaDouble } from '../common/java-double-text.js';

export type QuotaEntityType = 'users' | 'clients' | 'ips';

/** DynamicConfig.Ip.names: the one quota an IP entity takes. */
const IP_QUOTA_KEYS: ReadonlySet<string> = new Set(['connection_creation_rate']);

export interface QuotaChanges {
  set: ReadonlyMap<string, number>;
  delete: readonly string[];
  /** A user's SCRAM credentials, set or removed beside the quotas (AlterUserScramCredentials). */
  scram: ScramChanges;
}

/**
 * ConfigCommand.alterConfig's checks for users and clients, in its words (Scala's `Set(…)` and
 * `ArrayBuffer(…)` included): only quota keys for clients (or a user's client), quota or SCRAM
 * keys for users, and quota values that Java reads as doubles. SCRAM keys are a named user's
 * credentials (`SCRAM-SHA-256=[iterations=8192,password=...]`).
 */
export function quotaChanges(types: readonly QuotaEntityType[], changes: ConfigChanges, names: readonly string[] = []): QuotaChanges {
  const isScram = isScramMechanism;
  const unknown = (key: string) => !isScram(key) && !isClientQuotaKey(key);
  const added = [...changes.add.keys()];
  if (types[0] === 'ips') {
    const bad = [...added, ...changes.delete].filter((key) => !IP_QUOTA_KEYS.has(key));
    if (bad.length > 0) {
      throw new UsageError(
        `Only connection quota configs can be added for 'ips' using --bootstrap-server. Unexpected config names: ${bad.join(',')}`,
      );
    }
  } else if (types[0] === 'clients' || types.length === 2) {
    const badAdds = [...added.filter(unknown), ...added.filter(isScram)];
    if (badAdds.length > 0) throw onlyQuotas('added', 'clients', 'Only quota configs', `Set(${badAdds.join(', ')})`);
    const badDeletes = [...changes.delete.filter(unknown), ...changes.delete.filter(isScram)];
    if (badDeletes.length > 0) throw onlyQuotas('deleted', 'clients', 'Only quota configs', `ArrayBuffer(${badDeletes.join(', ')})`);
  } else {
    const badAdds = added.filter(unknown);
    if (badAdds.length > 0) throw onlyQuotas('added', 'users', 'Only quota and SCRAM credential configs', `Set(${badAdds.join(', ')})`);
    const badDeletes = changes.delete.filter(unknown);
    if (badDeletes.length > 0)
      throw onlyQuotas('deleted', 'users', 'Only quota and SCRAM credential configs', `ArrayBuffer(${badDeletes.join(', ')})`);
    if ([...added, ...changes.delete].some(isScram) && (names[0] ?? '') === '') {
      throw new UsageError('SCRAM credentials can only be altered for a named user, not the default user');
    }
  }
  const scram: ScramChanges = {
    upsert: new Map([...changes.add].filter(([key]) => isScram(key)) as [ScramMechanism, string][]),
    delete: changes.delete.filter(isScram),
  };
  const set = new Map<string, number>();
  for (const [key, text] of changes.add) {
    if (isScram(key)) continue;
    const value = parseJavaDouble(text);
    if (value === undefined) throw new UsageError(`Cannot parse quota configuration value for ${key}: ${text}`);
    set.set(key, value);
  }
  return { set, delete: changes.delete.filter((key) => !isScram(key)), scram };
}

function onlyQuotas(verb: string, type: QuotaEntityType, allowed: string, names: string): UsageError {
  return new UsageError(`${allowed} can be ${verb} for '${type}' using --bootstrap-server. Unexpected config names: ${names}`);
}
