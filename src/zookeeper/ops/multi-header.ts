import type { JuteReader } from '../jute/reader.js';
import { readMultiHeader } from '../jute/records.js';

/** Reads the MultiHeader-framed op list of a multi or multiRead up to the `done` header. */
export function readOps<T>(r: JuteReader, decode: (type: number) => T): T[] {
  const ops: T[] = [];
  for (;;) {
    const { type, done } = readMultiHeader(r);
    if (done) return ops;
    ops.push(decode(type));
  }
}
