import { recordToJson } from '../common/record-json.js';
import type { RecordFormatter } from './output-chunks.js';

/** `--output json`: one JSON object per line (see common/record-json.ts). */
export const jsonFormatter: RecordFormatter = (record, out) => out.text(`${recordToJson(record)}\n`);
