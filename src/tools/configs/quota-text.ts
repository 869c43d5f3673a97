import { CLIENT_ID, IP, USER } from '../../protocol/client-quotas.js';
import type { QuotaEntityEntry } from './client-quotas.js';
import { javaDoubleText } from '../common/java-double-text.js';
import { javaHashMapOrder, javaStringHash } from './java-hash-order.js';

const TYPE_TEXT: Readonly<Record<string, string>> = { [USER]: 'user-principal', [CLIENT_ID]: 'client-id', [IP]: 'ip' };

/**
 * ConfigCommand.describeQuotaConfigs, one line per entity:
 * `Quota configs for user-principal 'alice', client-id 'c1' are producer_byte_rate=1024.0` (a
 * default entity reads `the default user-principal`). Entities and keys come in the order the
 * Java admin client's HashMaps give them, values as Java prints doubles.
 */
export function quotaLines(entries: readonly QuotaEntityEntry[]): string[] {
  return orderedQuotas(entries).map(({ entity, values }) => {
    const names = [USER, CLIENT_ID, IP].flatMap((type) => {
      const component = entity.find((c) => c.entityType === type);
      if (component === undefined) return [];
      const text = TYPE_TEXT[type]!;
      return [component.entityName === null ? `the default ${text}` : `${text} '${component.entityName}'`];
    });
    return `Quota configs for ${names.join(', ')} are ${values.map((v) => `${v.key}=${javaDoubleText(v.value)}`).join(', ')}`;
  });
}

/** The entries, and each one's values, in Java's HashMap order (DescribeClientQuotasResponse.complete builds both maps). */
export function orderedQuotas(entries: readonly QuotaEntityEntry[]): QuotaEntityEntry[] {
  return javaHashMapOrder(entries, entityHash).map((e) => ({
    entity: e.entity,
    values: javaHashMapOrder(e.values, (v) => javaStringHash(v.key)),
  }));
}

/** ClientQuotaEntity.hashCode: Objects.hash of its map, whose hash sums `hash(type) ^ hash(name)` (null: 0). */
function entityHash(entry: QuotaEntityEntry): number {
  const sum = entry.entity.reduce(
    (acc, c) => (acc + (javaStringHash(c.entityType) ^ (c.entityName === null ? 0 : javaStringHash(c.entityName)))) | 0,
    0,
  );
  return (31 + sum) | 0;
}
