import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readOffsetCheckpoint, writeOffsetCheckpoint } from '../../../../src/broker/log/checkpoint-file.js';
import { deleteDirName, filenamePrefixFromOffset, parseTopicPartitionDir } from '../../../../src/broker/log/log-file-names.js';
import { tempDir } from './batches.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('offset checkpoint files', () => {
  it("write Kafka's text format atomically and read it back", () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const path = join(tmp.path, 'recovery-point-offset-checkpoint');
    writeOffsetCheckpoint(path, [
      { topic: 'a.b-c', partition: 0, offset: 42n },
      { topic: '__consumer_offsets', partition: 49, offset: 9007199254740993n },
    ]);
    expect(readFileSync(path, 'utf8')).toBe('0\n2\na.b-c 0 42\n__consumer_offsets 49 9007199254740993\n');
    expect(readdirSync(tmp.path)).toEqual(['recovery-point-offset-checkpoint']);
    expect(readOffsetCheckpoint(path)).toEqual(
      new Map([
        ['a.b-c-0', 42n],
        ['__consumer_offsets-49', 9007199254740993n],
      ]),
    );
    writeOffsetCheckpoint(path, []);
    expect(readFileSync(path, 'utf8')).toBe('0\n0\n');
    expect(readOffsetCheckpoint(join(tmp.path, 'missing'))).toEqual(new Map());
    // Kafka's CheckpointFile creates a file empty and reads it so.
    writeFileSync(path, '');
    expect(readOffsetCheckpoint(path)).toEqual(new Map());
  });

  it('reject malformed files with CORRUPT_CHECKPOINT', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const path = join(tmp.path, 'cp');
    for (const text of ['1\n0\n', '0\n2\nt 0 1\n', '0\n1\nt x 1\n', '0\nz\n', '\n', '0\n1\nt 0 1 2\n']) {
      writeFileSync(path, text);
      expect(() => readOffsetCheckpoint(path), JSON.stringify(text)).toThrow(expect.objectContaining({ code: 'CORRUPT_CHECKPOINT' }));
    }
  });
});

describe('log file names', () => {
  it('pad offsets to 20 digits and parse partition directories', () => {
    expect(filenamePrefixFromOffset(1234n)).toBe('00000000000000001234');
    expect(parseTopicPartitionDir('my-topic-12')).toEqual({ topic: 'my-topic', partition: 12 });
    for (const name of ['topic', 'topic-', '-1', 'topic-01', 'a b-0', 'topic-0.0123abcd-delete', '..-0', 'topic-99999999999']) {
      expect(parseTopicPartitionDir(name), name).toBeUndefined();
    }
  });

  it('name deleted directories as Kafka does, within 255 bytes', () => {
    expect(deleteDirName({ topic: 'orders', partition: 3 })).toMatch(/^orders-3\.[0-9a-f]{32}-delete$/);
    const long = deleteDirName({ topic: 'x'.repeat(249), partition: 7 });
    expect(long.length).toBe(255);
    expect(long).toMatch(/^x+-7\.[0-9a-f]{32}-delete$/);
  });
});
