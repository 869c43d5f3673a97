import { describe, expect, it } from 'vitest';
import { exportCsv, parseResetCsv } from '../../../../src/tools/consumer-groups/offsets-csv.js';

const plans = [
  {
    group: 'g1',
    offsets: [
      { topic: 'orders', partition: 0, offset: 5 },
      { topic: 'orders', partition: 1, offset: 0 },
    ],
  },
  { group: 'odd, "group"', offsets: [{ topic: 'pay', partition: 2, offset: 9 }] },
];

describe('--export and --from-file CSV', () => {
  it('writes topic,partition,offset for one group, group,topic,partition,offset otherwise, no header', () => {
    expect(exportCsv(plans.slice(0, 1), false)).toBe('orders,0,5\norders,1,0\n');
    expect(exportCsv(plans, true)).toBe('g1,orders,0,5\ng1,orders,1,0\n"odd, ""group""",pay,2,9\n');
  });

  it('reads back what it writes', () => {
    expect(parseResetCsv(exportCsv(plans, true), undefined)).toEqual(new Map(plans.map((p) => [p.group, p.offsets])));
    expect(parseResetCsv(`${exportCsv(plans.slice(0, 1), false)}\n`, 'g1')).toEqual(new Map([['g1', plans[0]!.offsets]]));
  });

  it('three-column files need exactly one --group; CRLF line ends are fine', () => {
    expect(parseResetCsv('t,0,1\r\nt,1,2\r\n', 'g')).toEqual(
      new Map([
        [
          'g',
          [
            { topic: 't', partition: 0, offset: 1 },
            { topic: 't', partition: 1, offset: 2 },
          ],
        ],
      ]),
    );
    expect(() => parseResetCsv('t,0,1\n', undefined)).toThrow(
      "Error: invalid reset plan line 1: 't,0,1' (expected group,topic,partition,offset)",
    );
  });

  it('names the bad line', () => {
    expect(() => parseResetCsv('g,t,0,1\ng,t,x,1\n', undefined)).toThrow(
      "Error: invalid reset plan line 2: 'g,t,x,1' (expected group,topic,partition,offset)",
    );
    expect(() => parseResetCsv('t,0,1\nt,0\n', 'g')).toThrow("Error: invalid reset plan line 2: 't,0' (expected topic,partition,offset)");
    expect(() => parseResetCsv('"g,t,0,1\n', undefined)).toThrow('line 1');
  });
});
