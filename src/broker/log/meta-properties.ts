import { readFileSync } from 'node:fs';
import { makeDirectory } from '../../util/make-directory.js';
import { join } from 'node:path';
import { oneLine } from '../../util/errors.js';
import { parseProperties } from '../../util/properties.js';
import { randomUuid } from '../../protocol/primitives/uuid.js';
import { writeFileAtomically } from './file-io.js';
import { LogError } from './log-error.js';
import { META_PROPERTIES } from './log-file-names.js';

/**
 * Creates or checks `meta.properties` in every log dir, in Kafka's ZooKeeper-mode format
 * (`version=0`, `broker.id`, `cluster.id`), as KafkaServer does at start-up: a stored broker.id or
 * cluster.id that differs from the configured one is an error, since the directory belongs to
 * another broker or cluster. Returns the cluster id: the given one, else the stored one, else new.
 */
export function ensureMetaProperties(logDirs: readonly string[], brokerId: number, clusterId?: string): string {
  const stored = new Map<string, string | undefined>();
  for (const dir of logDirs) {
    makeDirectory(dir, 'log directory');
    const props = readMeta(join(dir, META_PROPERTIES));
    if (!props) continue;
    const version = props.get('version');
    if (version !== '0') {
      throw new LogError(
        'KAFKA_STORAGE_ERROR',
        `${join(dir, META_PROPERTIES)} has version ${version ?? '(none)'}; only version 0 (ZooKeeper mode) is supported`,
      );
    }
    const storedBrokerId = props.get('broker.id');
    if (storedBrokerId !== String(brokerId)) {
      throw new LogError(
        'INCONSISTENT_BROKER_ID',
        `Configured broker.id ${brokerId} doesn't match stored broker.id ${storedBrokerId} in meta.properties (${dir}). If you moved your data, make sure your configured broker.id matches. If you intend to create a new broker, you should remove all data in your data directories (log.dirs).`,
      );
    }
    stored.set(dir, props.get('cluster.id'));
  }
  const expected = clusterId ?? [...stored.values()].find((id) => id !== undefined) ?? randomUuid();
  for (const [dir, id] of stored) {
    if (id !== undefined && id !== expected) {
      throw new LogError(
        'INCONSISTENT_CLUSTER_ID',
        `The Cluster ID ${expected} doesn't match stored clusterId ${id} in meta.properties (${dir}). The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.`,
      );
    }
  }
  for (const dir of logDirs) {
    if (stored.get(dir) === expected) continue;
    try {
      writeFileAtomically(
        join(dir, META_PROPERTIES),
        `#\n#${new Date().toString()}\ncluster.id=${expected}\nversion=0\nbroker.id=${brokerId}\n`,
      );
    } catch (err) {
      throw new LogError(
        'KAFKA_STORAGE_ERROR',
        `cannot write to log directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
  }
  return expected;
}

function readMeta(path: string): Map<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new LogError('KAFKA_STORAGE_ERROR', `Cannot read ${path}: ${code ?? String(err)}`);
  }
  try {
    return parseProperties(text);
  } catch (err) {
    throw new LogError('KAFKA_STORAGE_ERROR', `${path} is corrupt: ${oneLine(err).replace(/^Error: /, '')}`);
  }
}
