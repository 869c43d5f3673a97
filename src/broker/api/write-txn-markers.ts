import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { WriteTxnMarkersRequest, WriteTxnMarkersResponse } from '../../protocol/generated/apis/write-txn-markers.js';
import type { TxnMarkerWriter } from '../transaction/txn-marker-writer.js';
import { authorized, type Handler } from './handler.js';

/**
 * WriteTxnMarkers v0-1, from a transaction coordinator: markers appended by the leaders here,
 * answered once replicated. Needs CLUSTER_ACTION, else every partition is CLUSTER_AUTHORIZATION_FAILED.
 */
export function writeTxnMarkersHandler(writer: TxnMarkerWriter): Handler<typeof ApiKey.WriteTxnMarkers> {
  return authorized(
    () => ['CLUSTER_ACTION', 'CLUSTER', CLUSTER_NAME],
    (request) => everyPartition(request, ErrorCode.CLUSTER_AUTHORIZATION_FAILED),
    (request) => writer.write(request),
  );
}

function everyPartition(request: WriteTxnMarkersRequest, errorCode: number): WriteTxnMarkersResponse {
  return {
    markers: request.markers.map((m) => ({
      producerId: m.producerId,
      topics: m.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode })),
      })),
    })),
  };
}
