import { describe, expect, it } from 'vitest';
import { parseOffsetJson } from '../../../../src/tools/delete-records/offset-json.js';

describe('kafka-delete-records offset JSON', () => {
  it('reads partitions with exact int64 offsets; version defaults to 1', () => {
    expect(
      parseOffsetJson('{"partitions":[{"topic":"a","partition":1,"offset":9007199254740993},{"topic":"b","partition":0,"offset":-1}]}'),
    ).toEqual([
      { topic: 'a', partition: 1, offset: 9007199254740993n },
      { topic: 'b', partition: 0, offset: -1n },
    ]);
  });

  it('refuses with Kafka’s messages', () => {
    expect(() => parseOffsetJson('nope')).toThrow('The input string is not a valid JSON');
    expect(() => parseOffsetJson('{"version":1}')).toThrow('Missing partitions field');
    expect(() => parseOffsetJson('{"version":2,"partitions":[]}')).toThrow('Not supported version field value 2');
    expect(() => parseOffsetJson('{"partitions":[{"topic":"a","partition":0,"offset":1},{"topic":"a","partition":0,"offset":2}]}')).toThrow(
      'Offset json file contains duplicate topic partitions: a-0',
    );
    expect(() => parseOffsetJson('{"partitions":[{"topic":"a","partition":"0","offset":1}]}')).toThrow(/^Invalid partitions entry/);
  });
});
