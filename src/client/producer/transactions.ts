import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, errorName, isRetriable } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { ApiMessages } from '../../protocol/generated/apis.js';
import { commonVersion } from '../api-versions.js';
import { formatBroker, type BrokerAddress } from '../bootstrap.js';
import type { BrokerConnections } from '../broker-connections.js';
import type { RawKafkaConnection } from '../raw-connection.js';
import type { PartitionQueue } from './accumulator.js';
import type { IdempotenceState } from './idempotence.js';
import { ProducerError, ProducerTimeoutError } from './producer-errors.js';

/** FindCoordinator's key type for a transactional id. */
const TRANSACTION_KEY_TYPE = 1;
/** Clients speak AddPartitionsToTxn up to v3; v4+ is the brokers' batched form (KIP-890). */
const MAX_CLIENT_ADD_PARTITIONS_VERSION = 3;

/** Errors that send a transactional request to a freshly looked-up coordinator. */
const COORDINATOR_MOVED: ReadonlySet<number> = new Set([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE]);

export interface TransactionConfig {
  transactionalId: string;
  transactionTimeoutMs: number;
  /** How long initTransactions, commit and abort may take (max.block.ms). */
  maxBlockMs: number;
  /** How long one coordinator request may go unanswered before its connection is dropped and it is retried. */
  requestTimeoutMs: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  log?: (line: string) => void;
}

type State = 'uninitialized' | 'ready' | 'in-transaction' | 'completing' | 'abortable-error' | 'fatal-error';

/**
 * The Java producer's TransactionManager, for one transactional.id (KIP-98): the transaction
 * coordinator (FindCoordinator with key type 1), InitProducerId with the id (the epoch fences
 * older producers of the same id), AddPartitionsToTxn for each partition before its first batch of
 * a transaction goes out, and EndTxn to commit or abort. Coordinator requests are retried on
 * retriable errors until max.block.ms; a broker that cannot finish a transaction (no EndTxn in its
 * ApiVersions) has its first refusal reported as is.
 */
export class TransactionManager {
  private state: State = 'uninitialized';
  private coordinator: BrokerAddress | null = null;
  /** Partitions added to the current transaction, and those waiting for AddPartitionsToTxn. */
  private readonly added = new Set<PartitionQueue>();
  private readonly toAdd = new Set<PartitionQueue>();
  private adding = false;
  private failure: Error | null = null;

  constructor(
    private readonly config: TransactionConfig,
    private readonly connections: BrokerConnections,
    private readonly bootstrap: readonly BrokerAddress[],
    private readonly idempotence: IdempotenceState,
    /** Partitions were added: their batches may go. */
    private readonly wakeup: () => void,
  ) {}

  get transactionalId(): string {
    return this.config.transactionalId;
  }

  /** Records may be sent: a transaction is open. */
  get inTransaction(): boolean {
    return this.state === 'in-transaction' || this.state === 'abortable-error';
  }

  /** Why the transaction cannot commit (a partition could not be added, a batch failed), if it cannot. */
  get error(): Error | null {
    return this.failure;
  }

  /** KafkaProducer.initTransactions: the coordinator, then a producer id and epoch for the transactional id. */
  async initTransactions(): Promise<void> {
    if (this.state !== 'uninitialized') throw new ProducerError('initTransactions was already called');
    const deadline = Date.now() + this.config.maxBlockMs;
    const response = await this.coordinatorRequest(
      'InitProducerId',
      ApiKey.InitProducerId,
      () => ({
        transactionalId: this.config.transactionalId,
        transactionTimeoutMs: this.config.transactionTimeoutMs,
        producerId: -1n,
        producerEpoch: -1,
      }),
      (r) => r.errorCode,
      deadline,
    );
    this.idempotence.reset(response.producerId, response.producerEpoch);
    this.state = 'ready';
  }

  beginTransaction(): void {
    if (this.state === 'uninitialized') throw new ProducerError('Cannot begin a transaction before initTransactions');
    if (this.state !== 'ready') throw new ProducerError(`Cannot begin a transaction in state ${this.state}`);
    this.state = 'in-transaction';
  }

  /**
   * The sender asks whether a batch of `q` may go: only once its partition is part of the
   * transaction. Otherwise the partition is queued for AddPartitionsToTxn.
   */
  canSend(q: PartitionQueue): boolean {
    if (this.added.has(q)) return true;
    if (this.state !== 'in-transaction' && this.state !== 'completing') return false;
    if (!this.toAdd.has(q)) {
      this.toAdd.add(q);
      void this.addPartitions();
    }
    return false;
  }

  /** A batch of the transaction failed for good: it can only be aborted now. */
  batchFailed(error: Error): void {
    if (this.state === 'in-transaction' || this.state === 'completing') {
      this.failure ??= error;
      this.state = 'abortable-error';
    }
  }

  /**
   * EndTxn once every batch has an outcome (`flush`). A transaction to which no partition was
   * added is completed without asking the coordinator, as the Java producer does.
   */
  async complete(commit: boolean, flush: () => Promise<void>): Promise<void> {
    if (this.state !== 'in-transaction' && this.state !== 'abortable-error') {
      throw new ProducerError(`Cannot ${commit ? 'commit' : 'abort'} a transaction in state ${this.state}`);
    }
    if (commit && this.failure !== null) {
      throw new ProducerError(`Cannot commit the transaction: ${this.failure.message}`, null, { cause: this.failure });
    }
    if (this.state === 'in-transaction') this.state = 'completing';
    await flush();
    if (commit && this.failure !== null) {
      throw new ProducerError(`Cannot commit the transaction: ${this.failure.message}`, null, { cause: this.failure });
    }
    if (this.added.size > 0) {
      await this.coordinatorRequest(
        'EndTxn',
        ApiKey.EndTxn,
        () => ({
          transactionalId: this.config.transactionalId,
          producerId: this.idempotence.producerId,
          producerEpoch: this.idempotence.epoch,
          committed: commit,
        }),
        (r) => r.errorCode,
        Date.now() + this.config.maxBlockMs,
      );
    }
    this.added.clear();
    this.toAdd.clear();
    this.failure = null;
    this.state = 'ready';
  }

  /** AddPartitionsToTxn for every partition waiting, one request at a time. */
  private async addPartitions(): Promise<void> {
    if (this.adding) return;
    this.adding = true;
    try {
      while (this.toAdd.size > 0 && (this.state === 'in-transaction' || this.state === 'completing')) {
        const batch = [...this.toAdd];
        const topics = new Map<string, number[]>();
        for (const q of batch) topics.set(q.topic, [...(topics.get(q.topic) ?? []), q.partition]);
        await this.coordinatorRequest(
          'AddPartitionsToTxn',
          ApiKey.AddPartitionsToTxn,
          () => ({
            transactions: [],
            v3AndBelowTransactionalId: this.config.transactionalId,
            v3AndBelowProducerId: this.idempotence.producerId,
            v3AndBelowProducerEpoch: this.idempotence.epoch,
            v3AndBelowTopics: [...topics].map(([name, partitions]) => ({ name, partitions })),
          }),
          (r) => firstPartitionError(r) ?? ErrorCode.NONE,
          Date.now() + this.config.maxBlockMs,
          MAX_CLIENT_ADD_PARTITIONS_VERSION,
        );
        for (const q of batch) {
          this.toAdd.delete(q);
          this.added.add(q);
        }
        this.wakeup();
      }
    } catch (err) {
      this.batchFailed(err as Error);
      this.toAdd.clear();
      this.wakeup();
    } finally {
      this.adding = false;
    }
  }

  /**
   * Sends a request to the transaction coordinator, looking it up first (and again when it moved),
   * retrying retriable errors with backoff until `deadline`; `errorOf` reads the response's error.
   */
  private async coordinatorRequest<K extends ApiKey>(
    what: string,
    apiKey: K,
    body: () => ApiMessages[K]['request'],
    errorOf: (response: ApiMessages[K]['response']) => number,
    deadline: number,
    maxVersion = Infinity,
  ): Promise<ApiMessages[K]['response']> {
    for (let attempt = 0; ; attempt++) {
      let code: number;
      let detail: string | null = null;
      try {
        const conn = await this.coordinatorConnection(deadline);
        const version = Math.min(commonVersion(conn.versions!, apiKey) ?? -1, maxVersion);
        if (version < 0) throw new ProducerError(`the broker at ${formatBroker(this.coordinator!)} does not support ${what}`);
        const response = await this.answered(conn, conn.request(apiKey, version, body()));
        code = errorOf(response);
        if (code === ErrorCode.NONE) return response;
      } catch (err) {
        if (!(err instanceof RetriableCoordinatorError)) throw this.fatal(err as Error);
        code = err.code;
        detail = err.detail;
      }
      if (COORDINATOR_MOVED.has(code)) this.coordinator = null;
      const reason = `${errorName(code) ?? `error code ${code}`}${detail ? `: ${detail}` : ''}`;
      if (!isRetriable(code) && code !== ErrorCode.CONCURRENT_TRANSACTIONS) {
        throw this.fatal(new ProducerError(`${what} for transactional id '${this.config.transactionalId}' failed: ${reason}`, code));
      }
      const backoff = Math.min(this.config.retryBackoffMaxMs, this.config.retryBackoffMs * 2 ** attempt);
      if (Date.now() + backoff > deadline) {
        throw new ProducerTimeoutError(
          `Timeout expired after ${this.config.maxBlockMs} ms while awaiting ${what} for transactional id '${this.config.transactionalId}': ${reason}`,
          code,
        );
      }
      this.config.log?.(`${what} for transactional id '${this.config.transactionalId}': ${reason}, retrying in ${backoff} ms`);
      await sleep(backoff, undefined, { ref: false });
    }
  }

  /** `request`'s answer; none within request.timeout.ms drops the connection, and the request is retried. */
  private async answered<T>(conn: RawKafkaConnection, request: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(`no response within request.timeout.ms (${this.config.requestTimeoutMs} ms)`);
        conn.close(err);
        reject(err);
      }, this.config.requestTimeoutMs);
    });
    try {
      return await Promise.race([request, timeout]);
    } catch (err) {
      this.coordinator = null;
      throw new RetriableCoordinatorError(ErrorCode.NETWORK_EXCEPTION, (err as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The coordinator's connection, found with FindCoordinator when not known. */
  private async coordinatorConnection(deadline: number): Promise<RawKafkaConnection> {
    if (this.coordinator === null) this.coordinator = await this.findCoordinator();
    try {
      return await this.connections.connect(this.coordinator);
    } catch (err) {
      this.coordinator = null;
      if (Date.now() >= deadline) throw err;
      throw new RetriableCoordinatorError(ErrorCode.NETWORK_EXCEPTION, (err as Error).message);
    }
  }

  private async findCoordinator(): Promise<BrokerAddress> {
    const conn = this.connections.any() ?? (await this.connections.connect(this.bootstrap[0]!));
    const versions = conn.versions!;
    const version = commonVersion(versions, ApiKey.FindCoordinator);
    if (version === undefined) throw new ProducerError('the broker does not support FindCoordinator');
    const id = this.config.transactionalId;
    const response = await this.answered(
      conn,
      conn.request(ApiKey.FindCoordinator, version, {
        key: version >= 4 ? '' : id,
        keyType: TRANSACTION_KEY_TYPE,
        coordinatorKeys: version >= 4 ? [id] : [],
      }),
    );
    const answer = version >= 4 ? response.coordinators[0] : response;
    if (answer === undefined) throw new ProducerError('the FindCoordinator response named no coordinator');
    if (answer.errorCode === ErrorCode.NONE) return { host: answer.host, port: answer.port };
    // A broker without EndTxn can never complete a transaction: waiting for its coordinator is pointless.
    const canTransact =
      commonVersion(versions, ApiKey.EndTxn) !== undefined && commonVersion(versions, ApiKey.AddPartitionsToTxn) !== undefined;
    if (isRetriable(answer.errorCode) && canTransact) throw new RetriableCoordinatorError(answer.errorCode, answer.errorMessage);
    const reason = `${errorName(answer.errorCode) ?? `error code ${answer.errorCode}`}${answer.errorMessage ? `: ${answer.errorMessage}` : ''}`;
    throw new ProducerError(
      `the broker refused to find a transaction coordinator for transactional id '${this.config.transactionalId}': ${reason}`,
      answer.errorCode,
    );
  }

  private fatal(err: Error): Error {
    this.state = this.state === 'uninitialized' ? 'uninitialized' : 'fatal-error';
    this.failure ??= err;
    return err;
  }
}

/** A retriable answer from the coordinator (or while reaching it), retried by coordinatorRequest. */
class RetriableCoordinatorError extends Error {
  constructor(
    readonly code: number,
    readonly detail: string | null,
  ) {
    super(`${errorName(code) ?? code}${detail ? `: ${detail}` : ''}`);
  }
}

function firstPartitionError(response: ApiMessages[typeof ApiKey.AddPartitionsToTxn]['response']): number | undefined {
  if (response.errorCode !== ErrorCode.NONE) return response.errorCode;
  const results = response.resultsByTransaction[0]?.topicResults ?? response.resultsByTopicV3AndBelow;
  for (const t of results) for (const p of t.resultsByPartition) if (p.partitionErrorCode !== ErrorCode.NONE) return p.partitionErrorCode;
  return undefined;
}
