import type { JuteReader } from '../jute/reader.js';
import type { JuteWriter } from '../jute/writer.js';

/** Reads the MultiHeader-framed op list of a multi or multiRead up to the `done` header. */
export function readOps<T>(r: JuteReader, decode: (type: number) => T): T[] {
  const ops: T[] = [];
  for (;;) {
    const type = r.int32();
    const done = r.bool();
    r.int32();
    if (done) return ops;
    ops.push(decode(type));
  }
}

export function writeMultiHeader(w: JuteWriter, type: number, done: boolean, err: number): void {
  w.int32(type);
  w.bool(done);
  w.int32(err);
}
