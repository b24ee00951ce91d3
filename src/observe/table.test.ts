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

  it('colours toned cells after padding, and leaves no trailing spaces', () => {
    const text = renderTable(
      [{ header: 'state' }, { header: 'note' }],
      [[{ text: 'up', tone: 'good' }, 'ok']],
      { color: true },
    );

    expect(text.split('\n')[2]).toBe('\u001b[32mup   \u001b[0m  ok');
    expect(text.split('\n').filter((line) => line.endsWith(' '))).toEqual([]);
  });

  it('cuts the widest text column to fit the width', () => {
    const text = renderTable(
      [{ header: 'n', align: 'right' }, { header: 'text' }],
      [[1, 'x'.repeat(50)]],
      { width: 20 },
    );
    const lines = text.split('\n');

    // The last column is not padded: the header line is as long as its text.
    expect(lines.map((line) => line.length)).toEqual([7, 20, 20]);
    expect(lines[2]).toBe(`1  ${'x'.repeat(14)}...`);
  });
});
