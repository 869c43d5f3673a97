import { resolve } from 'node:path';
import { dynamicImport } from '../../util/dynamic-import.js';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../util/errors.js';
import type { CustomPartitioner } from './partitioner.js';

/** Java's own partitioner class names that mean the built-in behaviour. */
const BUILT_IN = new Set([
  'org.apache.kafka.clients.producer.internals.DefaultPartitioner',
  'org.apache.kafka.clients.producer.internals.BuiltInPartitioner',
]);
const ROUND_ROBIN = 'org.apache.kafka.clients.producer.RoundRobinPartitioner';

interface PartitionerObject {
  partition: CustomPartitioner;
}

/**
 * Loads `partitioner.class`: a path to an ES or CommonJS module whose default export is a
 * CustomPartitioner function, an object with a `partition` method, or a class with one
 * (constructed once, without arguments). Kafka's RoundRobinPartitioner is available by its Java
 * name; null means the built-in partitioner.
 */
export async function loadPartitioner(spec: string): Promise<CustomPartitioner | null> {
  const name = spec.trim();
  if (name === '' || BUILT_IN.has(name)) return null;
  if (name === ROUND_ROBIN) return roundRobinPartitioner();
  if (/^[a-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(name) && !/\.[cm]?js$/.test(name)) {
    throw new UsageError(`Error: partitioner.class ${name} is a Java class; give the path of a JavaScript module instead`);
  }
  let module: { default?: unknown };
  try {
    module = (await dynamicImport(pathToFileURL(resolve(name)).href)) as { default?: unknown };
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' ? 'no such module' : (err as Error).message;
    throw new UsageError(`Error: could not load partitioner.class '${name}': ${why.split('\n')[0]}`);
  }
  const partitioner = fromExport(module.default);
  if (partitioner === null) {
    throw new UsageError(
      `Error: partitioner.class '${name}' must default-export a function (record, cluster) => partition, or a class or object with partition()`,
    );
  }
  return partitioner;
}

function fromExport(exported: unknown): CustomPartitioner | null {
  if (typeof exported === 'function') {
    const prototype = (exported as { prototype?: Partial<PartitionerObject> }).prototype;
    if (typeof prototype?.partition === 'function') {
      const instance = new (exported as new () => PartitionerObject)();
      return (record, cluster) => instance.partition(record, cluster);
    }
    return exported as CustomPartitioner;
  }
  if (typeof exported === 'object' && exported !== null && typeof (exported as PartitionerObject).partition === 'function') {
    const object = exported as PartitionerObject;
    return (record, cluster) => object.partition(record, cluster);
  }
  return null;
}

/** Kafka's RoundRobinPartitioner: a counter per topic over the partitions with a leader (or all). */
function roundRobinPartitioner(): CustomPartitioner {
  const counters = new Map<string, number>();
  return (record, cluster) => {
    const n = counters.get(record.topic) ?? 0;
    counters.set(record.topic, (n + 1) | 0);
    const available = cluster.availablePartitions;
    const i = n & 0x7fffffff;
    return available.length > 0 ? available[i % available.length]! : i % cluster.partitions;
  };
}
