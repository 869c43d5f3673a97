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
import type { LogManager } from '../log/log-manager.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * DescribeLogDirs v0-4: every log dir with the size of the partitions asked for (null: all) and,
 * from v4, the file system's total and usable bytes; a failed (offline) dir with KAFKA_STORAGE_ERROR. The offset lag is 0: this broker's logs are
 * the leaders' and none is being moved between dirs (no future logs).
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
      results: broker.logManager.logDirs.map((dir) => describeDir(broker.logManager, dir, wanted)),
    };
  };
}

function describeDir(
  logManager: LogManager,
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
  for (const log of logManager.logs) {
    if (logManager.logDirOf(log) !== dir || (wanted !== null && !wanted.has(log.name))) continue;
    const { topic, partition } = log.topicPartition;
    const entry = topics.get(topic) ?? { name: topic, partitions: [] };
    entry.partitions.push({ partitionIndex: partition, partitionSize: BigInt(log.size), offsetLag: 0n, isFutureKey: false });
    topics.set(topic, entry);
  }
  return { ...result, ...space, topics: [...topics.values()] };
}
