import { CLUSTER_NAME } from '../../protocol/acl.js';
import { statfsSync } from 'node:fs';
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultDescribeLogDirsResponse,
  defaultDescribeLogDirsResponseDescribeLogDirsResult,
  type DescribeLogDirsResponseDescribeLogDirsResult,
  type DescribeLogDirsResponseDescribeLogDirsTopic,
} from '../../protocol/generated/apis/describe-log-dirs.js';
import { topicPartitionKey } from '../log/log-file-names.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * DescribeLogDirs v0-4: every log dir with the size of the partitions asked for (null: all) and,
 * from v4, the file system's total and usable bytes; a failed (offline) dir with KAFKA_STORAGE_ERROR.
 * A replica moving between dirs is listed twice: its current log, and its future log
 * (isFuture, the offset lag how far it is behind the current log's end). A current log's lag is
 * how far it is behind the high watermark (0 but on a follower), as Kafka's getLogEndOffsetLag.
 */
export function describeLogDirsHandler(broker: BrokerContext): Handler<typeof ApiKey.DescribeLogDirs> {
  return (request, ctx) => {
    // DESCRIBE on the cluster (v3+ has room for the error; before, nothing is listed).
    if (!ctx.authorize('DESCRIBE', 'CLUSTER', CLUSTER_NAME)) {
      return { ...defaultDescribeLogDirsResponse(), errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED };
    }
    const wanted =
      request.topics === null
        ? null
        : new Set(request.topics.flatMap((t) => t.partitions.map((partition) => topicPartitionKey({ topic: t.topic, partition }))));
    return {
      ...defaultDescribeLogDirsResponse(),
      results: broker.logManager.logDirs.map((dir) => describeDir(broker, dir, wanted)),
    };
  };
}

function describeDir(
  { logManager, replicaManager }: BrokerContext,
  dir: string,
  wanted: ReadonlySet<string> | null,
): DescribeLogDirsResponseDescribeLogDirsResult {
  const result = { ...defaultDescribeLogDirsResponseDescribeLogDirsResult(), logDir: dir };
  if (logManager.isOffline(dir)) return { ...result, errorCode: ErrorCode.KAFKA_STORAGE_ERROR };
  let space: { totalBytes: bigint; usableBytes: bigint };
  try {
    const stats = statfsSync(dir, { bigint: true });
    space = { totalBytes: stats.bsize * stats.blocks, usableBytes: stats.bsize * stats.bavail };
  } catch {
    return { ...result, errorCode: ErrorCode.KAFKA_STORAGE_ERROR };
  }
  const topics = new Map<string, DescribeLogDirsResponseDescribeLogDirsTopic>();
  const logs = [
    ...logManager.logs.map((log) => ({ log, isFuture: false })),
    ...logManager.futureLogs.map((log) => ({ log, isFuture: true })),
  ];
  for (const { log, isFuture } of logs) {
    if (log.offline || logManager.logDirOf(log) !== dir || (wanted !== null && !wanted.has(log.name))) continue;
    const { topic, partition } = log.topicPartition;
    const entry = topics.get(topic) ?? { name: topic, partitions: [] };
    const offsetLag = replicaManager.offsetLag(log);
    entry.partitions.push({ partitionIndex: partition, partitionSize: BigInt(log.size), offsetLag, isFutureKey: isFuture });
    topics.set(topic, entry);
  }
  return { ...result, ...space, topics: [...topics.values()] };
}
