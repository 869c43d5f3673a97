import type { ConnectOptions } from '../../client/connect-options.js';
import { type VersionedCluster, withVersionedCluster } from '../../client/versioned-cluster.js';
import type { VersionedConnection } from '../../client/versioned-connection.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { MetadataResponse } from '../../protocol/generated/apis/metadata.js';
import { KtsError } from '../../util/errors.js';
import { type AssignableBroker, assignReplicas, ReplicaAssignmentError } from '../../util/replica-assignment.js';
import { javaExceptionClass } from '../common/kafka-exceptions.js';
import { kafkaErrorMessage } from '../consumer-groups/kafka-errors.js';
import {
  checkExecutable,
  comparePartitions,
  formatPartition,
  formatReassignmentJson,
  type PartitionTarget,
  parseReassignmentJson,
  parseTopicsJson,
  type TopicPartition,
} from './reassignment-json.js';
import {
  compareReplicas,
  formatReplica,
  type LogDirMoveState,
  moveStateLine,
  type ReplicaLogDir,
  replicaLogDirs,
} from './replica-moves.js';
import { brokerThrottleChanges, type MoveMap, proposedMoves, topicThrottleChanges } from './throttles.js';

/** A reassignment in progress, as ListPartitionReassignments reports it. */
export interface OngoingReassignment extends TopicPartition {
  readonly replicas: number[];
  readonly addingReplicas: number[];
  readonly removingReplicas: number[];
}

const CANNOT_EXECUTE_BECAUSE_OF_EXISTING =
  'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.';
const MUST_RUN_VERIFY = 'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.';
const BROKER_LEVEL_THROTTLES = [
  'leader.replication.throttled.rate',
  'follower.replication.throttled.rate',
  'replica.alter.log.dirs.io.max.bytes.per.second',
];
const TOPIC_LEVEL_THROTTLES = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];
const SET = 0;
const DELETE = 1;
/** How often --execute asks again for log dir moves of replicas not created yet (Kafka's executeMoves). */
const MOVE_RETRY_MS = 100;

export interface ExecuteOptions {
  readonly additional: boolean;
  /** `--throttle` B/s; negative: none. */
  readonly throttle: number;
  /** `--replica-alter-log-dirs-throttle` B/s; negative: none. */
  readonly logDirThrottle: number;
  readonly timeoutMs: number;
}

type Print = (text: string) => void;

/**
 * Kafka's kafka-reassign-partitions.sh (ReassignPartitionsCommand) on kts's client: the
 * reassignments go to the controller (AlterPartitionReassignments, ListPartitionReassignments),
 * throttles are topic and broker configs (IncrementalAlterConfigs, a broker's own to that broker).
 */
export class ReassignPartitions {
  private constructor(
    private readonly cluster: VersionedCluster,
    private readonly print: Print,
  ) {}

  static run<T>(options: ConnectOptions, print: Print, fn: (tool: ReassignPartitions) => Promise<T>): Promise<T> {
    return withVersionedCluster(options, (cluster) => fn(new ReassignPartitions(cluster, print)));
  }

  /** `--list`. */
  async list(): Promise<void> {
    const ongoing = await this.#ongoing(null);
    const lines = ongoing.map(
      (r) =>
        `${formatPartition(r)}: replicas: ${r.replicas.join(',')}.${r.addingReplicas.length === 0 ? '' : ` adding: ${r.addingReplicas.join(',')}.`}${r.removingReplicas.length === 0 ? '' : ` removing: ${r.removingReplicas.join(',')}.`}`,
    );
    this.print(lines.length === 0 ? 'No partition reassignments found.\n' : `Current partition reassignments:\n${lines.join('\n')}\n`);
  }

  /**
   * `--generate`: the topics' current assignment and a new one over the given brokers, as Kafka's
   * AdminUtils places replicas for a new topic (random start, racks alternated unless disabled).
   */
  async generate(topicsJson: string, brokerList: string, rackAware: boolean): Promise<void> {
    const topics = parseTopicsJson(topicsJson);
    const brokerIds = brokerList.split(',').map((id) => {
      if (!/^\s*-?\d+\s*$/.test(id)) throw new KtsError(`Error: invalid --broker-list '${brokerList}': expected broker ids such as 0,1,2`);
      return Number(id);
    });
    const duplicated = (list: readonly (string | number)[]) => [...new Set(list.filter((x, i) => list.indexOf(x) !== i))];
    if (duplicated(brokerIds).length > 0)
      throw new KtsError(`Error: Broker list contains duplicate entries: ${duplicated(brokerIds).join(',')}`);
    if (duplicated(topics).length > 0)
      throw new KtsError(`Error: List of topics to reassign contains duplicate entries: ${duplicated(topics).join(',')}`);
    const metadata = await this.cluster.metadata(topics);
    const current: Array<TopicPartition & { replicas: number[] }> = [];
    for (const name of topics) {
      const topic = metadata.topics.find((t) => t.name === name);
      if (!topic || topic.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
        throw new KtsError(`Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Topic ${name} not found.`);
      }
      for (const p of topic.partitions) current.push({ topic: name, partition: p.partitionIndex, replicas: p.replicaNodes });
    }
    const brokers = metadata.brokers
      .filter((b) => brokerIds.includes(b.nodeId))
      .map((b) => ({ id: b.nodeId, rack: rackAware ? b.rack : null }));
    const proposed: Array<TopicPartition & { replicas: number[] }> = [];
    for (const name of topics) {
      const partitions = current.filter((c) => c.topic === name).sort(comparePartitions);
      if (partitions.length === 0) continue;
      placeReplicas(brokers, partitions.length, partitions[0]!.replicas.length).forEach((replicas, partition) => {
        proposed.push({ topic: name, partition, replicas });
      });
    }
    this.print(`Current partition replica assignment\n${formatReassignmentJson(current)}\n\n`);
    this.print(`Proposed partition reassignment configuration\n${formatReassignmentJson(proposed)}\n`);
  }

  /** `--execute`: the reassignments, then the replicas' moves between log dirs (`log_dirs` other than `any`). */
  async execute(json: string, options: ExecuteOptions): Promise<void> {
    const targets = parseReassignmentJson(json);
    checkExecutable(targets);
    const moves = replicaLogDirs(targets);
    const ongoing = await this.#ongoing(null);
    if (!options.additional && ongoing.length > 0) throw new KtsError(CANNOT_EXECUTE_BECAUSE_OF_EXISTING);
    const metadata = await this.cluster.metadata(null);
    const live = new Set(metadata.brokers.map((b) => b.nodeId));
    const unknown = targets.flatMap((t) => t.replicas).find((r) => !live.has(r));
    if (unknown !== undefined) throw new KtsError(`Error: Unknown broker id ${unknown}`);
    const current = currentAssignment(metadata, targets);
    this.print(
      `Current partition replica assignment\n\n${formatReassignmentJson(current)}\n\nSave this to use as the --reassignment-json-file option during rollback\n`,
    );
    if (options.throttle >= 0 || options.logDirThrottle >= 0) {
      this.print(`${MUST_RUN_VERIFY}\n`);
      if (options.throttle >= 0) await this.#setThrottles(proposedMoves(ongoing, targets, current), options.throttle);
      if (options.logDirThrottle >= 0) {
        // Kafka's modifyLogDirThrottle: on each broker a replica moves within.
        for (const broker of new Set(moves.map((m) => m.broker))) {
          await this.#alterBrokerConfigs(broker, [
            { name: 'replica.alter.log.dirs.io.max.bytes.per.second', configOperation: SET, value: String(options.logDirThrottle) },
          ]);
        }
        this.print(`The replica-alter-dir throttle limit was set to ${options.logDirThrottle} B/s\n`);
      }
    }
    const errors = await this.#alter(targets.map((t) => [t, t.replicas]));
    if (errors.length > 0) throw new KtsError(`Error reassigning partition(s):\n${errors.join('\n')}`);
    const names = [...targets].sort(comparePartitions).map(formatPartition);
    this.print(`Successfully started partition reassignment${names.length === 1 ? '' : 's'} for ${names.join(',')}\n`);
    if (moves.length > 0) await this.#executeMoves(moves, options.timeoutMs);
  }

  /**
   * `--verify`: each partition's state, then each replica's move between log dirs; throttles
   * cleared once nothing is moving (unless preserved). Returns whether anything is in progress.
   */
  async verify(json: string, preserveThrottles: boolean): Promise<boolean> {
    const targets = parseReassignmentJson(json);
    const ongoing = await this.#ongoing(null);
    const byName = new Map(ongoing.map((r) => [formatPartition(r), r]));
    const metadata = await this.cluster.metadata([...new Set(targets.map((t) => t.topic))]);
    const lines = ['Status of partition reassignment:'];
    for (const target of [...targets].sort(comparePartitions)) {
      const name = formatPartition(target);
      if (byName.has(name)) {
        lines.push(`Reassignment of partition ${name} is still in progress.`);
        continue;
      }
      const replicas = partitionReplicas(metadata, target);
      if (replicas === undefined)
        throw new KtsError(`Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Unable to find partition: ${name}`);
      lines.push(
        sameList(replicas, target.replicas)
          ? `Reassignment of partition ${name} is completed.`
          : `There is no active reassignment of partition ${name}, but replica set is ${replicas.join(',')} rather than ${target.replicas.join(',')}.`,
      );
    }
    this.print(`${lines.join('\n')}\n`);
    const moves = await this.#logDirMoveStates(replicaLogDirs(targets));
    // Kafka prints this line even when no replica has a log dir to move to.
    this.print(`${moves.map(([replica, state]) => moveStateLine(replica, state)).join('\n')}\n`);
    const inProgress = ongoing.length > 0 || moves.some(([, state]) => !state.done);
    if (!inProgress && !preserveThrottles) await this.#clearThrottles(targets);
    return inProgress;
  }

  /** `--cancel`: the listed reassignments still in progress go back to their original replicas. */
  async cancel(json: string, preserveThrottles: boolean, timeoutMs: number): Promise<void> {
    const targets = parseReassignmentJson(json);
    const active = (await this.#ongoing(targets)).filter((r) => r.addingReplicas.length > 0 || r.removingReplicas.length > 0);
    if (active.length > 0) {
      const errors = await this.#alter(active.map((r) => [r, null]));
      if (errors.length > 0)
        throw new KtsError(`Error cancelling partition reassignment${errors.length === 1 ? '' : 's'} for:\n${errors.join('\n')}`);
      const names = active.sort(comparePartitions).map(formatPartition);
      this.print(`Successfully cancelled partition reassignment${names.length === 1 ? '' : 's'} for: ${names.join(',')}\n`);
    } else this.print('None of the specified partition reassignments are active.\n');
    // A replica moving between log dirs goes back to (stays in) its current dir, which cancels the move.
    const moving = (await this.#logDirMoveStates(replicaLogDirs(targets))).flatMap(([replica, state]) =>
      state.kind === 'active' ? [{ ...replica, logDir: state.current }] : [],
    );
    // Kafka prints this without a line end.
    if (moving.length === 0) this.print('None of the specified partition moves are active.');
    else await this.#executeMoves(moving, timeoutMs);
    if (!preserveThrottles) {
      this.print('\n');
      await this.#clearThrottles(targets);
    }
  }

  /**
   * Kafka's executeMoves: AlterReplicaLogDirs to each replica's broker until every move has
   * started; a replica its broker does not host yet (REPLICA_NOT_AVAILABLE, a reassignment still
   * creating it) is asked again every 100 ms until `timeoutMs`.
   */
  async #executeMoves(moves: readonly ReplicaLogDir[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let pending = [...moves];
    for (;;) {
      const started = await this.#alterReplicaLogDirs(pending);
      for (const r of [...started].sort(compareReplicas)) {
        this.print(`Successfully started moving log directory to ${r.logDir} for replica ${formatPartition(r)} with broker ${r.broker} \n`);
      }
      pending = pending.filter((r) => !started.includes(r));
      if (pending.length === 0) return;
      if (Date.now() >= deadline) {
        throw new KtsError(
          `Timed out before log directory move${pending.length === 1 ? '' : 's'} could be started for: ${pending.sort(compareReplicas).map(formatReplica).join(',')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, MOVE_RETRY_MS));
    }
  }

  /** One AlterReplicaLogDirs per broker; returns the moves that started, throws on any error but REPLICA_NOT_AVAILABLE. */
  async #alterReplicaLogDirs(moves: readonly ReplicaLogDir[]): Promise<ReplicaLogDir[]> {
    const started: ReplicaLogDir[] = [];
    for (const [broker, ofBroker] of groupBy(moves, (m) => m.broker)) {
      const conn = await this.#brokerConnection(broker);
      const failed = (r: ReplicaLogDir, code: number) =>
        new KtsError(`Error: Failed to alter dir for ${formatReplica(r)}: ${exceptionText(code, null)}`);
      if (conn === undefined) throw failed(ofBroker[0]!, ErrorCode.BROKER_NOT_AVAILABLE);
      const dirs = [...groupBy(ofBroker, (m) => m.logDir)].map(([path, inDir]) => ({
        path,
        topics: [...groupBy(inDir, (m) => m.topic)].map(([name, ps]) => ({ name, partitions: ps.map((p) => p.partition) })),
      }));
      const response = await conn.request(ApiKey.AlterReplicaLogDirs, { dirs });
      for (const topic of response.results) {
        for (const p of topic.partitions) {
          const move = ofBroker.find((m) => m.topic === topic.topicName && m.partition === p.partitionIndex);
          if (move === undefined || p.errorCode === ErrorCode.REPLICA_NOT_AVAILABLE) continue;
          if (p.errorCode !== ErrorCode.NONE) throw failed(move, p.errorCode);
          started.push(move);
        }
      }
    }
    return started;
  }

  /** Kafka's findLogDirMoveStates: where each replica's current and future logs are (DescribeLogDirs to its broker). */
  async #logDirMoveStates(moves: readonly ReplicaLogDir[]): Promise<Array<[ReplicaLogDir, LogDirMoveState]>> {
    const states: Array<[ReplicaLogDir, LogDirMoveState]> = [];
    for (const [broker, ofBroker] of groupBy(moves, (m) => m.broker)) {
      const conn = await this.#brokerConnection(broker);
      if (conn === undefined) {
        for (const m of ofBroker) states.push([m, { kind: 'missingReplica', done: false }]);
        continue;
      }
      const response = await conn.request(ApiKey.DescribeLogDirs, {
        topics: [...groupBy(ofBroker, (m) => m.topic)].map(([topic, ps]) => ({ topic, partitions: ps.map((p) => p.partition) })),
      });
      for (const m of ofBroker) {
        const where = (isFuture: boolean) =>
          response.results.find(
            (dir) =>
              dir.errorCode === ErrorCode.NONE &&
              dir.topics.some(
                (t) => t.name === m.topic && t.partitions.some((p) => p.partitionIndex === m.partition && p.isFutureKey === isFuture),
              ),
          )?.logDir;
        const current = where(false);
        const future = where(true);
        states.push([
          m,
          current === undefined
            ? { kind: 'missingLogDir', done: false }
            : future !== undefined
              ? { kind: 'active', done: false, current, future }
              : current === m.logDir
                ? { kind: 'completed', done: true }
                : { kind: 'cancelled', done: true, current },
        ]);
      }
    }
    return states.sort(([a], [b]) => compareReplicas(a, b));
  }

  async #brokerConnection(id: number): Promise<VersionedConnection | undefined> {
    const { brokers } = await this.cluster.metadata([]);
    const node = brokers.find((b) => b.nodeId === id);
    return node && this.cluster.connection(node);
  }

  async #controller(): Promise<VersionedConnection> {
    const { controllerId, brokers } = await this.cluster.metadata([]);
    const node = brokers.find((b) => b.nodeId === controllerId);
    if (node === undefined) throw new KtsError('Error: org.apache.kafka.common.errors.NotControllerException: There is no controller');
    return this.cluster.connection(node);
  }

  async #ongoing(partitions: readonly TopicPartition[] | null): Promise<OngoingReassignment[]> {
    const topics = new Map<string, number[]>();
    for (const p of partitions ?? []) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition]);
    const response = await (await this.#controller()).request(ApiKey.ListPartitionReassignments, {
      timeoutMs: this.cluster.requestTimeoutMs,
      topics: partitions === null ? null : [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
    });
    if (response.errorCode !== ErrorCode.NONE) throw new KtsError(`Error: ${exceptionText(response.errorCode, response.errorMessage)}`);
    return response.topics
      .flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          replicas: p.replicas,
          addingReplicas: p.addingReplicas,
          removingReplicas: p.removingReplicas,
        })),
      )
      .sort(comparePartitions);
  }

  /** AlterPartitionReassignments; returns `t-0: message` for each partition that failed. */
  async #alter(changes: ReadonlyArray<readonly [TopicPartition, readonly number[] | null]>): Promise<string[]> {
    const topics = new Map<string, { partitionIndex: number; replicas: number[] | null }[]>();
    for (const [tp, replicas] of changes)
      topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), { partitionIndex: tp.partition, replicas: replicas && [...replicas] }]);
    const response = await (await this.#controller()).request(ApiKey.AlterPartitionReassignments, {
      timeoutMs: this.cluster.requestTimeoutMs,
      topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
    });
    if (response.errorCode !== ErrorCode.NONE) throw new KtsError(`Error: ${exceptionText(response.errorCode, response.errorMessage)}`);
    return response.responses
      .flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode, message: p.errorMessage })),
      )
      .filter((p) => p.errorCode !== ErrorCode.NONE)
      .sort(comparePartitions)
      .map((p) => `${formatPartition(p)}: ${p.message ?? kafkaErrorMessage(p.errorCode)}`);
  }

  async #setThrottles(moves: MoveMap, throttle: number): Promise<void> {
    await this.#alterTopicConfigs(
      topicThrottleChanges(moves).map(([topic, configs]) => [
        topic,
        configs.map(([name, value]) => ({ name, configOperation: SET, value })),
      ]),
    );
    for (const [broker, configs] of brokerThrottleChanges(moves, throttle)) {
      await this.#alterBrokerConfigs(
        broker,
        configs.map(([name, value]) => ({ name, configOperation: SET, value })),
      );
    }
    this.print(`The inter-broker throttle limit was set to ${throttle} B/s\n`);
  }

  /** Kafka's clearAllThrottles: broker throttles on every live broker and every target replica, topic throttles on every target topic. */
  async #clearThrottles(targets: readonly PartitionTarget[]): Promise<void> {
    const { brokers } = await this.cluster.metadata([]);
    const ids = [...new Set([...brokers.map((b) => b.nodeId), ...targets.flatMap((t) => t.replicas)])].sort((a, b) => a - b);
    this.print(`Clearing broker-level throttles on broker${ids.length === 1 ? '' : 's'} ${ids.join(',')}\n`);
    const deleteOps = (names: readonly string[]) => names.map((name) => ({ name, configOperation: DELETE, value: null }));
    for (const id of ids.filter((i) => brokers.some((b) => b.nodeId === i)))
      await this.#alterBrokerConfigs(id, deleteOps(BROKER_LEVEL_THROTTLES));
    const topics = [...new Set(targets.map((t) => t.topic))].sort();
    this.print(`Clearing topic-level throttles on topic${topics.length === 1 ? '' : 's'} ${topics.join(',')}\n`);
    await this.#alterTopicConfigs(topics.map((t) => [t, deleteOps(TOPIC_LEVEL_THROTTLES)]));
  }

  async #alterTopicConfigs(changes: ReadonlyArray<readonly [string, ConfigOp[]]>): Promise<void> {
    if (changes.length === 0) return;
    await this.#incrementalAlter(
      this.cluster.bootstrap,
      changes.map(([name, configs]) => ({ resourceType: 2, resourceName: name, configs })),
    );
  }

  async #alterBrokerConfigs(id: number, configs: ConfigOp[]): Promise<void> {
    const conn = await this.#brokerConnection(id);
    if (conn === undefined) return;
    await this.#incrementalAlter(conn, [{ resourceType: 4, resourceName: String(id), configs }]);
  }

  async #incrementalAlter(
    conn: VersionedConnection,
    resources: { resourceType: number; resourceName: string; configs: ConfigOp[] }[],
  ): Promise<void> {
    const response = await conn.request(ApiKey.IncrementalAlterConfigs, { validateOnly: false, resources });
    const failed = response.responses.find((r) => r.errorCode !== ErrorCode.NONE);
    if (failed) throw new KtsError(`Error: ${exceptionText(failed.errorCode, failed.errorMessage)}`);
  }
}

interface ConfigOp {
  name: string;
  configOperation: number;
  value: string | null;
}

function exceptionText(code: number, message: string | null): string {
  return `${javaExceptionClass(code)}: ${message ?? kafkaErrorMessage(code)}`;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function partitionReplicas(metadata: MetadataResponse, tp: TopicPartition): number[] | undefined {
  return metadata.topics.find((t) => t.name === tp.topic)?.partitions.find((p) => p.partitionIndex === tp.partition)?.replicaNodes;
}

/** Kafka's getReplicaAssignmentForPartitions: every target partition's current replicas. */
function currentAssignment(metadata: MetadataResponse, targets: readonly TopicPartition[]): Array<TopicPartition & { replicas: number[] }> {
  return targets.map((t) => {
    const replicas = partitionReplicas(metadata, t);
    if (replicas === undefined)
      throw new KtsError(
        `Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Unable to find partition: ${formatPartition(t)}`,
      );
    return { topic: t.topic, partition: t.partition, replicas };
  });
}

/** AdminUtils.assignReplicasToBrokers; what it refuses (too few brokers, racks on some only) is Kafka's `Error: <message>`. */
function placeReplicas(brokers: readonly AssignableBroker[], partitions: number, replicationFactor: number): number[][] {
  try {
    return assignReplicas(brokers, partitions, replicationFactor);
  } catch (err) {
    if (err instanceof ReplicaAssignmentError) throw new KtsError(`Error: ${err.message}`);
    throw err;
  }
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
