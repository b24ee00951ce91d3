import { describe, expect, it } from 'vitest';
import { cellText, renderTable } from './table.ts';

describe('renderTable', () => {
  it('pads columns, right-aligns numbers and draws a rule', () => {
    const text = renderTable(
      [{ header: 'task' }, { header: 'ms' }],
      [
        ['scrape', 1200],
        ['health', 7],
      ],
    );

    expect(text.split('\n')).toEqual([
      'task      ms',
      '------  ----',
      'scrape  1200',
      'health     7',
    ]);
  });

  it('shows null and non-finite numbers as "-"', () => {
    expect(cellText(null)).toBe('-');
    expect(cellText(Number.NaN)).toBe('-');
    expect(cellText(Number.POSITIVE_INFINITY)).toBe('-');
    expect(cellText('a\nb')).toBe('a b');
  });

  it('colours toned cells after padding', () => {
    const text = renderTable([{ header: 'state' }], [[{ text: 'up', tone: 'good' }]], {
      color: true,
    });

    expect(text.split('\n')[2]).toBe('\u001b[32mup   \u001b[0m');
  });

  it('cuts the widest text column to fit the width', () => {
    const text = renderTable(
      [{ header: 'n', align: 'right' }, { header: 'text' }],
      [[1, 'x'.repeat(50)]],
      { width: 20 },
    );
    const lines = text.split('\n');

    expect(lines.map((line) => line.length)).toEqual([20, 20, 20]);
    expect(lines[2]).toBe(`1  ${'x'.repeat(14)}...`);
  });
});
