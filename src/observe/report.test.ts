import { describe, expect, it } from 'vitest';
import { EMPTY_SECTIONS } from '../../test/support/reports.ts';
import { renderMarkdownReport, renderReport, type RunReport } from './report.ts';

function fullReport(): RunReport {
  return {
    runId: 'run-42',
    status: 'partial',
    startedAt: '2024-05-01T10:00:00.000Z',
    finishedAt: '2024-05-01T10:01:02.000Z',
    durationMs: 62_000,
    profile: 'optimized',
    tasks: [
      {
        name: 'health',
        status: 'succeeded',
        attempts: 1,
        durationMs: 120,
        peakRssBytes: 52_428_800,
        requests: 3,
        connections: 3,
        reuseRatio: 0,
        bytesIn: 900,
        error: null,
      },
      {
        name: 'scrape',
        status: 'failed',
        attempts: 2,
        durationMs: null,
        peakRssBytes: null,
        requests: 140,
        connections: 6,
        reuseRatio: null,
        bytesIn: 1_572_864,
        error: 'reddit returned 503',
      },
      ...(['engine', 'thompson', 'metrics'] as const).map((name) => ({
        name,
        status: 'succeeded',
        attempts: 1,
        durationMs: 10,
        peakRssBytes: null,
        requests: 0,
        connections: 0,
        reuseRatio: null,
        bytesIn: 0,
        error: null,
      })),
    ],
    posts: {
      total: 1234,
      new: 56,
      updated: 78,
      pages: 9,
      byAccount: [
        { platform: 'reddit', account: 'spez', pages: 3, posts: 75, new: 10, status: 'ok' },
        {
          platform: 'mastodon',
          account: '109302436954721982',
          pages: 1,
          posts: 0,
          new: 0,
          status: 'failed',
          error: 'status 500',
        },
      ],
    },
    viral: Array.from({ length: 12 }, (_, index) => ({
      platform: 'hackernews' as const,
      account: 'pg',
      postId: String(index),
      url: `https://news.ycombinator.com/item?id=${index}`,
      score: index === 3 ? null : index * 1.5,
      ratio: index === 3 ? null : index + 1,
      reason: `z ${index}`,
    })),
    arms: [
      { arm: 'hook=question', successes: 8, failures: 2, mean: 0.75, probBest: 0.62 },
      { arm: 'media=image', successes: 1, failures: 9, mean: null, probBest: null },
    ],
    recommendations: [{ slot: 1, patterns: { hook: 'question', media: 'image' }, propensity: 0.5 }],
    health: [
      { name: 'reddit', kind: 'platform', ok: false, latencyMs: 5000, error: 'no answer' },
      { name: 'store', kind: 'store', ok: true, latencyMs: null },
    ],
    metrics: [{ service: 'node', ok: true, families: 237, samples: 1857 }],
    http: { requests: 143, connections: 9, reuseRatio: 0.937, bytesIn: 1_573_764, retries: 2 },
    problems: [
      'reddit was down; its accounts were skipped',
      'mastodon 109302436954721982 | failed',
    ],
  };
}

/** The lines of the table that follows a section title in the terminal report. */
function tableOf(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(title));
  const end = lines.findIndex((line, index) => index > start + 1 && line === '');
  return lines.slice(start + 2, end === -1 ? undefined : end);
}

describe('renderReport', () => {
  it('starts with the run id, status and duration', () => {
    const text = renderReport(fullReport());

    expect(text.split('\n')[0]).toBe('Flywheel run run-42  PARTIAL  1m 02s  profile optimized');
  });

  it('lists tasks in aligned columns', () => {
    const table = tableOf(renderReport(fullReport()), 'Tasks');

    expect(table[0]).toMatch(/^task {6}status {5}attempts {2}duration {2}peak RSS/);
    expect(table[2]).toContain('health    succeeded');
    expect(table[2]).toContain('120 ms  50.0 MiB');
    expect(table[3]).toContain('reddit returned 503');
    // Aligned: every column but the last (unpadded) one starts at the same place on each line.
    const errorAt = table[0]?.indexOf('error') ?? -1;
    const startsAt = (line: string) => line.slice(errorAt - 2, errorAt + 1);
    expect(errorAt).toBeGreaterThan(0);
    expect(table.slice(2).every((line) => /^ {2}\S$/.test(startsAt(line)))).toBe(true);
    expect(table.every((line) => !line.endsWith(' '))).toBe(true);
  });

  it('shows the scrape totals and one row per account', () => {
    const text = renderReport(fullReport());
    const table = tableOf(text, 'Scrape per account');

    expect(table[0]).toBe(
      'this run: 56 new and 78 updated posts from 9 pages; the store holds 1,234 posts',
    );
    expect(table.slice(3).map((line) => line.split(/\s{2,}/).slice(0, 6))).toEqual([
      ['reddit', 'spez', '3', '75', '10', 'ok'],
      ['mastodon', '109302436954721982', '1', '0', '0', 'failed'],
    ]);
  });

  it('shows the top 10 viral posts by score, missing scores last', () => {
    const text = renderReport(fullReport());
    const table = tableOf(text, 'Top viral posts');

    expect(text).toContain('Top viral posts (10 of 12)');
    expect(table).toHaveLength(12);
    expect(table[2]).toContain('16.50');
    expect(table[2]).toContain('https://news.ycombinator.com/item?id=11');
    expect(text).not.toContain('item?id=3 ');
  });

  it('shows arms, recommendations, health, metrics and problems', () => {
    const text = renderReport(fullReport());

    expect(tableOf(text, 'Top arms')[2]).toMatch(/^hook=question +8 +2 +0\.750 +62\.0%$/);
    expect(tableOf(text, 'Top arms')[3]).toMatch(/^media=image +1 +9 +- +-$/);
    expect(tableOf(text, 'Recommendations')[2]).toBe(
      '   1  hook=question, media=image       0.500',
    );
    expect(tableOf(text, 'Health')[2]).toMatch(/^reddit +platform +down +5\.00 s +no answer$/);
    expect(tableOf(text, 'Metrics')[2]).toMatch(/^node +up +237 +1,857 +- *$/);
    expect(tableOf(text, 'HTTP')[2]).toMatch(/^ +143 +9 +93\.7% +1\.5 MiB +2$/);
    expect(tableOf(text, 'Problems')[3]).toContain('mastodon 109302436954721982 | failed');
  });

  it('shows each task against its history and marks regressions', () => {
    const report: RunReport = {
      ...fullReport(),
      history: [
        {
          task: 'scrape',
          runs: 12,
          durationMs: 2_400,
          medianDurationMs: 1_200,
          p99DurationMs: 1_390,
          durationChange: 1,
          isDurationRegression: true,
          peakRssBytes: 104_857_600,
          medianPeakRssBytes: 100_663_296,
          p99PeakRssBytes: 110_100_480,
          peakRssChange: 0.0417,
          isMemoryRegression: false,
        },
        {
          task: 'health',
          runs: 0,
          durationMs: 120,
          medianDurationMs: null,
          p99DurationMs: null,
          durationChange: null,
          isDurationRegression: false,
          peakRssBytes: null,
          medianPeakRssBytes: null,
          p99PeakRssBytes: null,
          peakRssChange: null,
          isMemoryRegression: false,
        },
      ],
    };
    const text = renderReport(report, { color: true });
    const table = tableOf(renderReport(report), 'History');

    expect(table[0]).toBe(
      'this run against the median and p99 of earlier successful runs of each task',
    );
    expect(table[3]).toMatch(
      /^scrape +12 +2\.40 s +1\.20 s +1\.39 s +\+100% +100\.0 MiB +96\.0 MiB +105\.0 MiB +\+4%$/,
    );
    expect(table[4]).toMatch(/^health +0 +120 ms +- +- +- +- +- +- +-$/);
    expect(text).toMatch(new RegExp(`${'\u001b'}\\[31m *\\+100%`));
    expect(renderMarkdownReport(report).match(/^## /gm)).toHaveLength(10);
    expect(renderReport(fullReport())).not.toContain('History');
  });

  it('writes no NaN or undefined, even with nulls and empty sections', () => {
    const empty: RunReport = {
      ...fullReport(),
      status: 'failed',
      durationMs: Number.NaN,
      ...EMPTY_SECTIONS,
    };

    for (const text of [
      renderReport(empty),
      renderReport(fullReport()),
      renderMarkdownReport(empty),
      renderMarkdownReport(fullReport()),
    ]) {
      expect(text).not.toMatch(/NaN|undefined|null|Infinity/);
    }
    expect(renderReport(empty)).toContain('no tasks ran');
  });

  it('colours the status when asked', () => {
    expect(renderReport(fullReport(), { color: true }).split('\n')[0]).toContain(
      '\u001b[33mPARTIAL\u001b[0m',
    );
    expect(renderReport(fullReport())).not.toContain('\u001b[');
  });

  it('keeps table lines within the width, cutting text but never a URL or a problem', () => {
    const text = renderReport(fullReport(), { width: 60 });
    const arms = tableOf(text, 'Top arms');
    const viral = tableOf(text, 'Top viral posts');

    expect(Math.max(...arms.map((line) => line.length))).toBeLessThanOrEqual(60);
    expect(viral[2]).toContain('https://news.ycombinator.com/item?id=11');
  });
});

describe('renderMarkdownReport', () => {
  it('writes a title and one Markdown table per section', () => {
    const text = renderMarkdownReport(fullReport());

    expect(text.startsWith('# Flywheel run run-42\n\n**partial** in 1m 02s')).toBe(true);
    expect(text).toContain(
      '| task | status | attempts | duration | peak RSS | requests | conns | reuse | bytes in | error |',
    );
    expect(text).toContain('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    expect(text).toContain('| node | up | 237 | 1,857 | - |');
    expect(text).toContain('| 2 | mastodon 109302436954721982 \\| failed |');
    expect(text.match(/^## /gm)).toHaveLength(9);
  });

  it('leaves out the sections of tasks that did not run', () => {
    const report = fullReport();
    const text = renderReport({
      ...report,
      tasks: report.tasks.filter((task) => task.name === 'engine'),
    });

    expect(text).toContain('Top viral posts');
    expect(text).not.toContain('Scrape per account');
    expect(text).not.toContain('Top arms');
    expect(text).not.toContain('Health');
  });

  it('shows the HTTP layer per origin, circuit state included, when the report has it', () => {
    const origin = {
      origin: 'https://oauth.reddit.com',
      requests: 120,
      connections: 4,
      reuseRatio: 0.9667,
      bytesIn: 48_000,
      retries: 6,
      errors: 1,
      rateLimitWaits: 3,
      rateLimitWaitMs: 1_500,
      waitMs: 1_750,
      circuitState: 'half-open',
      circuitOpens: 1,
      circuitRejections: 9,
    };
    const report = { ...fullReport(), http: { ...fullReport().http, byOrigin: [origin] } };
    const table = tableOf(renderReport(report), 'HTTP by origin');

    expect(table[0]).toMatch(
      /^origin +requests +conns +reuse +retries +errors +rate waits +waited +circuit +opened +refused$/,
    );
    expect(table[2]).toMatch(
      /^https:\/\/oauth\.reddit\.com +120 +4 +96\.7% +6 +1 +3 +1\.75 s +half-open +1 +9$/,
    );
    expect(renderMarkdownReport(report)).toContain(
      '| https://oauth.reddit.com | 120 | 4 | 96.7% | 6 | 1 | 3 | 1.75 s | half-open | 1 | 9 |',
    );
    expect(renderReport(fullReport())).not.toContain('HTTP by origin');
  });

  it('writes an italic line for an empty section', () => {
    const text = renderMarkdownReport({ ...fullReport(), arms: [] });

    expect(text).toContain('## Top arms (0 of 0)\n\n_no arms yet_');
  });
});

describe('the engine sections', () => {
  function withEngine(): RunReport {
    const report = fullReport();
    return {
      ...report,
      viral: [
        {
          ...report.viral[5]!,
          basis: 'equal-age',
          ageHours: 6,
          reason: 'z=5.1 ≥ 3.5 and 8.2× the account median at 6.0h (12, 9 posts)',
        },
      ],
      engine: {
        labels: {
          viral: 1,
          notViral: 40,
          noBaseline: 7,
          notScored: 2,
          byBasis: { 'equal-age': 3, mature: 30, all: 8 },
        },
        rising: [
          {
            platform: 'bluesky',
            account: 'zoe',
            postId: 'at://z/1',
            url: 'https://bsky.app/profile/zoe/post/1',
            ageHours: 5.5,
            engagement: 40,
            predicted: 141.8,
            ratio: 4.73,
            score: 9.1,
          },
        ],
        prediction: [
          {
            platform: 'bluesky',
            targetHours: 48,
            posts: 120,
            ages: [1, 2, 6],
            trainPairs: 300,
            heldOutPairs: 70,
            maeLog: 0.2345,
            persistenceMaeLog: 1.25,
            medianRelativeError: 0.18,
          },
          {
            platform: 'reddit',
            targetHours: 48,
            posts: 3,
            ages: [],
            trainPairs: 4,
            heldOutPairs: 0,
            maeLog: null,
            persistenceMaeLog: null,
            medianRelativeError: null,
          },
        ],
        refresh: [
          {
            platform: 'mastodon',
            posts: 45,
            cached: 5,
            batchSize: 20,
            batches: 2,
            requests: 41,
            refreshed: 40,
            failed: 1,
          },
        ],
      },
    };
  }

  it('says what judged each post, which young posts are rising, the prediction error and the refresh', () => {
    const text = renderReport(withEngine());

    expect(tableOf(text, 'Top viral posts')[2]).toMatch(/ +7\.50 +6\.0x +equal-age 6\.0h +https:/);
    expect(tableOf(text, 'Why posts were labelled')[0]).toBe(
      '41 scored: 1 viral, 40 not viral; 7 with no baseline yet (too few posts); 2 not scored (reposts, no counts). Each reason is stored with its score.',
    );
    expect(tableOf(text, 'Why posts were labelled')[3]).toMatch(/^equal-age +3 +young posts/);
    expect(tableOf(text, 'Rising')[2]).toMatch(
      /^bluesky +zoe +5\.5h +40 +142 +4\.7x +https:\/\/bsky\.app\/profile\/zoe\/post\/1$/,
    );
    const prediction = tableOf(text, 'Early prediction');
    expect(prediction[3]).toMatch(/^bluesky +48h +120 +3 +300 +70 +0\.234 +1\.250 +18\.0%$/);
    expect(prediction[4]).toMatch(/^reddit +48h +3 +0 +4 +0 +- +- +-$/);
    expect(tableOf(text, 'Refresh of recent counts')[2]).toMatch(
      /^mastodon +45 +5 +20 +2 +41 +40 +1$/,
    );
    expect(renderMarkdownReport(withEngine())).not.toMatch(/NaN|undefined|null|Infinity/);
  });

  it('leaves the engine sections out when the engine did not run', () => {
    const report = withEngine();
    const text = renderReport({
      ...report,
      tasks: report.tasks.filter((task) => task.name !== 'engine'),
    });

    expect(text).not.toContain('Why posts were labelled');
    expect(text).not.toContain('Early prediction');
  });
});

describe('run notes', () => {
  it('shows each note under the header, in the terminal and in Markdown', () => {
    const report = {
      ...fullReport(),
      notes: ['nothing stored yet: run `flywheel task scrape` first'],
    };
    const lines = renderReport(report).split('\n');

    expect(lines.slice(0, 5)).toEqual([
      expect.stringMatching(/^Flywheel run /),
      '',
      expect.stringMatching(/^started /),
      '',
      'note: nothing stored yet: run `flywheel task scrape` first',
    ]);
    expect(renderMarkdownReport(report)).toContain(
      '> **Note:** nothing stored yet: run `flywheel task scrape` first',
    );
    expect(renderReport(fullReport())).not.toContain('note:');
  });
});
