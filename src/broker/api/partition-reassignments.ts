import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { ApiMessages } from '../../protocol/generated/apis.js';
import type { Controller } from '../controller/controller.js';
import { PartitionMap, type TopicPartition } from '../metadata/topic-partition.js';
import type { Handler } from './handler.js';

type Request<K extends ApiKey> = ApiMessages[K]['request'];
type Response<K extends ApiKey> = ApiMessages[K]['response'];

/** Errors.CLUSTER_AUTHORIZATION_FAILED's message, as Kafka's getErrorResponse answers a refused request. */
const CLUSTER_DENIED = 'Cluster authorization failed.';

/** Results by topic, in the order `PartitionMap` holds them, as the responses nest them. */
function byTopic<V, R>(
  results: PartitionMap<V>,
  toPartition: (partition: number, value: V) => R,
): Array<{ name: string; partitions: R[] }> {
  const topics = new Map<string, R[]>();
  for (const [tp, value] of results.entries()) {
    const list = topics.get(tp.topic) ?? [];
    list.push(toPartition(tp.partition, value));
    topics.set(tp.topic, list);
  }
  return [...topics].map(([name, partitions]) => ({ name, partitions }));
}

/**
 * AlterPartitionReassignments v0: target replicas per partition (null cancels), for the active
 * controller (Kafka's KafkaController.alterPartitionReassignments); any other broker answers
 * NOT_CONTROLLER for the whole request, so the admin client finds the controller.
 */
export function alterPartitionReassignmentsHandler(
  controller: Pick<Controller, 'alterPartitionReassignments'>,
): Handler<typeof ApiKey.AlterPartitionReassignments> {
  return async (request) => {
    const asked = new PartitionMap<readonly number[] | null>();
    for (const topic of request.topics)
      for (const p of topic.partitions) asked.set({ topic: topic.name, partition: p.partitionIndex }, p.replicas);
    const results = await controller.alterPartitionReassignments(asked);
    if (!(results instanceof PartitionMap))
      return { throttleTimeMs: 0, errorCode: results.errorCode, errorMessage: results.message, responses: [] };
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      responses: byTopic(results, (partitionIndex, e) => ({ partitionIndex, errorCode: e.errorCode, errorMessage: e.message })),
    };
  };
}

/** ListPartitionReassignments v0: the reassignments in progress among the given partitions (null: all), from the active controller. */
export function listPartitionReassignmentsHandler(
  controller: Pick<Controller, 'listPartitionReassignments'>,
): Handler<typeof ApiKey.ListPartitionReassignments> {
  return async (request) => {
    const asked: TopicPartition[] | null =
      request.topics === null ? null : request.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
    const results = await controller.listPartitionReassignments(asked);
    if (!(results instanceof PartitionMap))
      return { throttleTimeMs: 0, errorCode: results.errorCode, errorMessage: results.message, topics: [] };
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      topics: byTopic(results, (partitionIndex, a) => ({
        partitionIndex,
        replicas: [...a.replicas],
        addingReplicas: [...a.addingReplicas],
        removingReplicas: [...a.removingReplicas],
      })),
    };
  };
}

/**
 * ElectLeaders v0-2: a preferred (0) or unclean (1) election for the given partitions (null: every
 * partition), by the active controller; any other broker answers NOT_CONTROLLER for each partition
 * (v0 has no top-level error code), as Kafka's ZooKeeper-mode controller does.
 */
export function electLeadersHandler(controller: Controller): Handler<typeof ApiKey.ElectLeaders> {
  return async (request, ctx) => {
    const asked: TopicPartition[] | null =
      request.topicPartitions === null
        ? null
        : request.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    if (request.electionType !== 0 && request.electionType !== 1) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, replicaElectionResults: [] };
    }
    const results = await controller.electLeaders(asked, request.electionType === 0 ? 'PREFERRED' : 'UNCLEAN');
    let outcomes: PartitionMap<{ errorCode: number; message: string | null }>;
    if (results instanceof PartitionMap) {
      outcomes = new PartitionMap();
      for (const [tp, o] of results.entries()) outcomes.set(tp, 'leader' in o ? { errorCode: ErrorCode.NONE, message: null } : o);
    } else {
      if (ctx.apiVersion >= 1 || asked === null) return { throttleTimeMs: 0, errorCode: results.errorCode, replicaElectionResults: [] };
      outcomes = new PartitionMap();
      for (const tp of asked) outcomes.set(tp, results);
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      replicaElectionResults: byTopic(outcomes, (partitionId, o) => ({ partitionId, errorCode: o.errorCode, errorMessage: o.message })).map(
        (t) => ({
          topic: t.name,
          partitionResult: t.partitions,
        }),
      ),
    };
  };
}

/** Without ALTER on the cluster: the request's error, and each partition asked for with it (AlterPartitionReassignmentsRequest.getErrorResponse). */
export function alterPartitionReassignmentsDenied(
  request: Request<typeof ApiKey.AlterPartitionReassignments>,
): Response<typeof ApiKey.AlterPartitionReassignments> {
  const errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  return {
    throttleTimeMs: 0,
    errorCode,
    errorMessage: CLUSTER_DENIED,
    responses: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode, errorMessage: CLUSTER_DENIED })),
    })),
  };
}

/** Without DESCRIBE on the cluster: the request's error, nothing listed. */
export function listPartitionReassignmentsDenied(): Response<typeof ApiKey.ListPartitionReassignments> {
  return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: CLUSTER_DENIED, topics: [] };
}

/**
 * Without ALTER on the cluster: the request's error (v1+) and each partition asked for with it
 * (v0 has only those), as Kafka's handleElectLeaders answers.
 */
export function electLeadersDenied(request: Request<typeof ApiKey.ElectLeaders>): Response<typeof ApiKey.ElectLeaders> {
  const errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  return {
    throttleTimeMs: 0,
    errorCode,
    replicaElectionResults: (request.topicPartitions ?? []).map((t) => ({
      topic: t.topic,
      partitionResult: t.partitions.map((partitionId) => ({ partitionId, errorCode, errorMessage: null })),
    })),
  };
}
