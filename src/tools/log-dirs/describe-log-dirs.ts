import type { ConnectOptions } from '../../client/connect-options.js';
import { withVersionedCluster } from '../../client/versioned-cluster.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { KtsError } from '../../util/errors.js';
import { javaExceptionClass } from '../common/kafka-exceptions.js';

/** One replica in a log dir, as kafka-log-dirs.sh prints it. */
export interface ReplicaInfo {
  partition: string;
  size: number;
  offsetLag: number;
  isFuture: boolean;
}

export interface LogDirInfo {
  logDir: string;
  /** The Java exception class of the dir's error, or null. */
  error: string | null;
  partitions: ReplicaInfo[];
}

/** Kafka's JSON (`{"brokers":[...],"version":1}`), keys in the order Kafka 3.9 prints them. */
export interface LogDirsDescription {
  brokers: Array<{ broker: number; logDirs: LogDirInfo[] }>;
  version: 1;
}

/**
 * Kafka's LogDirsCommand --describe: DescribeLogDirs (every partition) to each of the brokers
 * (all registered ones, or those of --broker-list, which must all exist), keeping the replicas of
 * the --topic-list topics. Calls `progress` with Kafka's two lines around the queries.
 */
export async function describeLogDirs(
  options: ConnectOptions,
  brokerList: readonly number[],
  topics: readonly string[],
  progress: (line: string) => void,
): Promise<LogDirsDescription> {
  return withVersionedCluster(options, async (cluster) => {
    const { brokers } = await cluster.metadata([]);
    const registered = brokers.map((b) => b.nodeId).sort((a, b) => a - b);
    const missing = brokerList.filter((id) => !registered.includes(id));
    if (missing.length > 0) {
      throw new KtsError(
        `ERROR: The given brokers do not exist from --broker-list: ${[...new Set(missing)].sort((a, b) => a - b).join(',')}. Current existent brokers: ${registered.join(',')}`,
      );
    }
    const queried = brokerList.length === 0 ? registered : [...new Set(brokerList)].sort((a, b) => a - b);
    progress('Querying brokers for log directories information');
    const described = await Promise.all(
      queried.map(async (id) => {
        const conn = await cluster.connection(brokers.find((b) => b.nodeId === id)!);
        const response = await conn.request(ApiKey.DescribeLogDirs, { topics: null });
        if (response.errorCode !== ErrorCode.NONE) throw new KtsError(`${javaExceptionClass(response.errorCode)} from broker ${id}`);
        const logDirs = response.results.map((dir) => ({
          logDir: dir.logDir,
          error: dir.errorCode === ErrorCode.NONE ? null : javaExceptionClass(dir.errorCode),
          partitions: dir.topics
            .filter((t) => topics.length === 0 || topics.includes(t.name))
            .flatMap((t) => t.partitions.map((p) => ({ topic: t.name, ...p })))
            .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partitionIndex - b.partitionIndex))
            .map((p) => ({
              partition: `${p.topic}-${p.partitionIndex}`,
              size: Number(p.partitionSize),
              offsetLag: Number(p.offsetLag),
              isFuture: p.isFutureKey,
            })),
        }));
        return { broker: id, logDirs };
      }),
    );
    progress(`Received log directory information from brokers ${queried.join(',')}`);
    return { brokers: described, version: 1 };
  });
}
