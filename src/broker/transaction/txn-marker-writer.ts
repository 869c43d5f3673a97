import { ErrorCode } from '../../protocol/errors.js';
import type { WriteTxnMarkersRequest, WriteTxnMarkersResponse } from '../../protocol/generated/apis/write-txn-markers.js';
import { OFFSETS_TOPIC } from '../group/offsets-topic-log.js';
import type { ReplicaManager } from '../partition/replica-manager.js';
import type { ProducePurgatory, ReplicationWait } from '../replication/delayed-produce.js';

export interface TxnMarkerWriterOptions {
  replicaManager: ReplicaManager;
  producePurgatory: ProducePurgatory;
  /** A marker landed in `__consumer_offsets`: the group coordinator settles the transaction's offsets there. */
  onOffsetsMarker: (producerId: bigint, partition: number, commit: boolean) => void;
  /** request.timeout.ms: how long the markers wait for their ISRs. */
  timeoutMs: () => number;
}

/**
 * The partition side of WriteTxnMarkers (Kafka's handleWriteTxnMarkersRequest): each marker is
 * appended as a control batch by the partition's leader with the coordinator's epochs checked,
 * and answered once its ISR has it (acks=-1). The request handler and a coordinator writing
 * markers to partitions this broker leads both come here, so both take one path.
 */
export class TxnMarkerWriter {
  constructor(private readonly options: TxnMarkerWriterOptions) {}

  async write(request: WriteTxnMarkersRequest): Promise<WriteTxnMarkersResponse> {
    const { replicaManager } = this.options;
    const waits: ReplicationWait[] = [];
    const settles: ((error: number) => void)[] = [];
    const markers = request.markers.map((m) => ({
      producerId: m.producerId,
      topics: m.topics.map((t) => {
        const results = replicaManager.appendTxnMarkers(
          t.partitionIndexes.map((partition) => ({
            topic: t.name,
            partition,
            marker: {
              producerId: m.producerId,
              producerEpoch: m.producerEpoch,
              commit: m.transactionResult,
              coordinatorEpoch: m.coordinatorEpoch,
            },
          })),
        );
        const partitions = results.map((result, i) => {
          const partitionIndex = t.partitionIndexes[i]!;
          const answer = { partitionIndex, errorCode: result.ok ? ErrorCode.NONE : result.error.code };
          if (!result.ok) return answer;
          if (t.name === OFFSETS_TOPIC) this.options.onOffsetsMarker(m.producerId, partitionIndex, m.transactionResult);
          const partition = replicaManager.partition(t.name, partitionIndex)!;
          const state = partition.replicationOf(result.nextOffset);
          if (state.done) answer.errorCode = ErrorCode[state.error];
          else {
            waits.push({ partition, requiredOffset: result.nextOffset });
            settles.push((error) => (answer.errorCode = error));
          }
          return answer;
        });
        return { name: t.name, partitions };
      }),
    }));
    if (waits.length > 0) {
      const outcomes = await this.options.producePurgatory.wait(waits, this.options.timeoutMs());
      for (const [i, outcome] of outcomes.entries()) settles[i]!(ErrorCode[outcome]);
    }
    return { markers };
  }
}
