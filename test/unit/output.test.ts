import { afterEach, describe, expect, it } from 'vitest';
import { colourEnabled } from '../../src/cli/colour.js';
import { renderTable } from '../../src/cli/table.js';

describe('output conventions', () => {
  const saved = process.env.NO_COLOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  });

  it('uses colour only on a terminal and never with NO_COLOR', () => {
    delete process.env.NO_COLOR;
    expect(colourEnabled({ isTTY: true } as NodeJS.WriteStream)).toBe(true);
    expect(colourEnabled({ isTTY: false } as NodeJS.WriteStream)).toBe(false);
    process.env.NO_COLOR = '1';
    expect(colourEnabled({ isTTY: true } as NodeJS.WriteStream)).toBe(false);
  });

  it('renders a compact boxed table without escape codes off a terminal', () => {
    expect(
      renderTable(
        ['TOPIC', 'PARTITION'],
        [
          ['t', 0],
          ['t', 1],
        ],
      ),
    ).toBe(
      [
        '┌───────┬───────────┐',
        '│ TOPIC │ PARTITION │',
        '│ t     │ 0         │',
        '│ t     │ 1         │',
        '└───────┴───────────┘',
        '',
      ].join('\n'),
    );
  });
});
