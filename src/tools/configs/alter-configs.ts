import { KtsError } from '../../util/errors.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { commandFailure } from './command-failure.js';
import type { ConfigCluster } from './config-cluster.js';
import { brokerOf, RESOURCE_TYPE, resourceConfigs, type ResourceEntityType } from './describe-configs.js';

const [SET, DELETE] = [0, 1];

export interface ConfigChanges {
  add: ReadonlyMap<string, string>;
  delete: readonly string[];
}

/**
 * ConfigCommand.alterConfig for topics, brokers, broker loggers and client-metrics resources. A key
 * to delete must be set on the entity (`Invalid config(s): k`). All but brokers change through
 * IncrementalAlterConfigs (broker loggers on the broker they name); brokers through the
 * legacy AlterConfigs with every dynamic setting of the entity, as Kafka 3.9's tool does, so a
 * sensitive setting (whose value is never described) must be given again.
 */
export async function alterResourceConfigs(
  cluster: ConfigCluster,
  type: ResourceEntityType,
  name: string,
  changes: ConfigChanges,
): Promise<void> {
  const current = await resourceConfigs(cluster, type, name, false);
  const invalid = changes.delete.filter((key) => !current.some((c) => c.name === key));
  if (invalid.length > 0) throw new KtsError(`Invalid config(s): ${invalid.join(',')}`);
  if (type !== 'brokers') {
    const id = brokerOf(type, name);
    const conn = id === undefined ? cluster.bootstrap : await cluster.broker(id);
    const response = await conn.request(ApiKey.IncrementalAlterConfigs, {
      validateOnly: false,
      resources: [
        {
          resourceType: RESOURCE_TYPE[type],
          resourceName: name,
          configs: [
            ...[...changes.add].map(([key, value]) => ({ name: key, configOperation: SET, value })),
            ...changes.delete.map((key) => ({ name: key, configOperation: DELETE, value: '' })),
          ],
        },
      ],
    });
    check(response.responses[0]);
    return;
  }
  const entries = new Map(current.map((c) => [c.name, c.value]));
  for (const [key, value] of changes.add) entries.set(key, value);
  for (const key of changes.delete) entries.delete(key);
  const missing = [...entries].filter(([, value]) => value === null).map(([key]) => key);
  if (missing.length > 0) {
    throw new KtsError(`All sensitive broker config entries must be specified for --alter, missing entries: Set(${missing.join(', ')})`);
  }
  const conn = name === '' ? cluster.bootstrap : await cluster.broker(Number(name));
  const response = await conn.request(ApiKey.AlterConfigs, {
    validateOnly: false,
    resources: [{ resourceType: 4, resourceName: name, configs: [...entries].map(([key, value]) => ({ name: key, value })) }],
  });
  check(response.responses[0]);
}

function check(result: { errorCode: number; errorMessage: string | null } | undefined): void {
  if (result === undefined) throw new KtsError('Error while executing config command: the broker did not answer for the entity');
  if (result.errorCode !== ErrorCode.NONE) throw commandFailure(result.errorCode, result.errorMessage);
}

/** `Completed updating config for topic t.` / `Completed updating default config for brokers in the cluster.` */
export function completedLine(type: string, name: string): string {
  return name === ''
    ? `Completed updating default config for ${type} in the cluster.`
    : `Completed updating config for ${type.slice(0, -1)} ${name}.`;
}
