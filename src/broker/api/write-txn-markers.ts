import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { TxnMarkerWriter } from '../transaction/txn-marker-writer.js';
import type { Handler } from './handler.js';

/** WriteTxnMarkers v0-1, from a transaction coordinator: markers appended by the leaders here, answered once replicated. */
export function writeTxnMarkersHandler(writer: TxnMarkerWriter): Handler<typeof ApiKey.WriteTxnMarkers> {
  return (request) => writer.write(request);
}
