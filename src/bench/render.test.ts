import { describe, expect, it } from 'vitest';
import { checkGoals, checkRequirements } from './checks.ts';
import { sampleStats } from './figures.ts';
import {
  describeScenario,
  detailRows,
  formatMb,
  formatMs,
  formatPercent,
  mainRows,
  renderBench,
  renderBenchMarkdown,
} from './render.ts';
import type { BenchResult } from './result.ts';
import { parseScenario } from './scenario.ts';
import { plainSummary, scrapeSummary } from './testing.ts';

const scenario = parseScenario({});
const targets = [
  scrapeSummary([1_000, 1_200, 1_100], [100, 150, 110]),
  plainSummary('thompson', 60, 48),
];
const result: BenchResult = {
  version: 1,
  createdAt: '2026-01-05T12:00:00.000Z',
  machine: {
    cpus: 2,
    cpuModel: 'AMD EPYC',
    node: 'v20.20.2',
    platform: 'linux x64',
    runtime: 'compiled',
  },
  scenario,
  floor: sampleStats([80_000_000, 81_000_000, 79_000_000]),
  targets,
  requirements: checkRequirements(targets, scenario.requirements),
  goals: checkGoals(targets, scenario.goals, undefined),
  notes: [],
};

describe('formatting', () => {
  it('writes times, memory and shares the way the table shows them', () => {
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(1_234.5)).toBe('1,235 ms');
    expect(formatMb(95_440_000)).toBe('95.4 MB');
    expect(formatPercent(0.9166)).toBe('91.7%');
    expect(formatPercent(null)).toBe('-');
  });

  it('names the scenario in one line', () => {
    expect(describeScenario(scenario)).toBe(
      '24 bluesky accounts (24) x 60 posts in 3 pages of 20, 20 ms round trip (+40 ms per new connection), 2 services, concurrency 8, 5 pairs, seed 42',
    );
  });
});

describe('the main table', () => {
  it('has one row per operator: before, after, improvement, memory, reuse, requests', () => {
    expect(mainRows(targets)).toEqual([
      [
        'scrape',
        '1,100 ms',
        '110 ms',
        '90.0% (10.00x)',
        '95.0 MB (+15.0)',
        '88.9% / 100.0%',
        '72 -> 72 (min 72)',
      ],
      ['thompson', '60.0 ms', '48.0 ms', '20.0% (1.25x)', '90.0 MB (+10.0)', '-', '0 -> 0 (min 0)'],
    ]);
  });

  it('details the p99s, the ratio of every pair and the connections against the expected', () => {
    const [scrape] = detailRows(targets);
    expect(scrape).toEqual([
      'scrape',
      '1,198 ms',
      '149 ms',
      '0.10 0.13 0.10',
      '88.0 MB',
      '0.0 / 0.0',
      '- / -',
      '72 / 8 (8)',
      '0 of 72 req',
      '144 / 8',
      '10 / 5',
    ]);
  });
});

describe('renderBench', () => {
  it('prints the sections with the machine, the tables and the verdicts', () => {
    const text = renderBench(result);

    expect(text).toContain(
      'machine: 2 CPUs, AMD EPYC, Node v20.20.2, linux x64; children compiled',
    );
    expect(text).toContain(
      'import floor (a child that only loads the modules): 80.0 MB median of 3',
    );
    expect(text).toMatch(/^scrape +1,100 ms +110 ms +90\.0% \(10\.00x\)/m);
    expect(text).toContain('requirements: all 8 passed');
    expect(text).toContain('targets: all 6 passed');
    expect(text).not.toContain('\u001b[');
  });

  it('writes the same sections as Markdown tables', () => {
    const markdown = renderBenchMarkdown(result);

    expect(markdown).toContain('## Before and after');
    expect(markdown).toContain(
      '| operator | before (naive) | after (optimized) | improvement | memory (above floor) | reuse cold / warm | requests naive -> opt |',
    );
    expect(markdown).toContain('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(markdown).toContain(
      '| scrape | 1,100 ms | 110 ms | 90.0% (10.00x) | 95.0 MB (+15.0) | 88.9% / 100.0% | 72 -> 72 (min 72) |',
    );
    expect(markdown.endsWith('\n')).toBe(true);
  });
});
