import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPath, hasData, SKIP_NOTE } from '../../../test/support/data.ts';
import { parsePrometheusText, type MetricFamily, type ParseResult } from './prometheus.ts';

function byType(families: MetricFamily[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const family of families) counts[family.type] = (counts[family.type] ?? 0) + 1;
  return counts;
}

function sampleCount(result: ParseResult): number {
  return result.families.reduce((sum, family) => sum + family.samples.length, 0);
}

function family(result: ParseResult, name: string): MetricFamily {
  const found = result.families.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no family ${name}`);
  return found;
}

// Expected counts were computed apart from this parser: by prometheus_client 0.16's parser
// (Debian python3-prometheus-client) and by counting lines with grep (samples = lines that are
// neither blank nor comments; families = TYPE lines, or distinct sample names without metadata,
// as Prometheus' Go parser groups them). See docs/operators/metrics.md.
describe.skipIf(!hasData)(`real expositions${SKIP_NOTE}`, () => {
  const read = (name: string): string =>
    readFileSync(dataPath(`prometheus-exposition/${name}`), 'utf8');

  it('reads the Prometheus server scrape as 237 families and 1,857 samples', () => {
    const result = parsePrometheusText(read('alltypes.237mfs.prom.txt'));

    expect(result.errors).toEqual([]);
    expect(result.families).toHaveLength(237);
    expect(byType(result.families)).toEqual({
      counter: 112,
      gauge: 97,
      histogram: 15,
      summary: 13,
    });
    expect(sampleCount(result)).toBe(1857);
    const nan = result.families.flatMap((f) => f.samples).filter((s) => Number.isNaN(s.value));
    expect(nan).toHaveLength(12);
  });

  it('reads the server scrape the same through the fast and the careful line reader', () => {
    const text = read('alltypes.237mfs.prom.txt');
    // A trailing blank on a sample line is legal and sends it to the careful reader.
    const careful = parsePrometheusText(
      text
        .split('\n')
        .map((line) => (line.startsWith('#') || line === '' ? line : `${line} `))
        .join('\n'),
    );

    expect(careful).toEqual(parsePrometheusText(text));
  });

  it('reads the same scrape without metadata as 291 untyped families', () => {
    const result = parsePrometheusText(read('alltypes.237mfs.nometa.prom.txt'));

    expect(result.errors).toEqual([]);
    expect(result.families).toHaveLength(291);
    expect(byType(result.families)).toEqual({ untyped: 291 });
    expect(sampleCount(result)).toBe(1857);
  });

  it('reads the promtool sample as 4 families and 27 samples', () => {
    const result = parsePrometheusText(read('metrics-test.prom'));

    expect(result.errors).toEqual([]);
    expect(byType(result.families)).toEqual({ summary: 1, histogram: 1, counter: 1, gauge: 1 });
    expect(sampleCount(result)).toBe(27);
    const chunks = family(result, 'prometheus_tsdb_compaction_chunk_size_bytes');
    expect(chunks.samples).toHaveLength(15);
    expect(chunks.samples.at(-3)?.labels).toEqual({ le: '+Inf' });
  });

  it('reads the prom-client dump as 33 families, 57 samples and 4 empty families', () => {
    const result = parsePrometheusText(
      read('lokalise-ce-connector-template-node/metrics.md.prom.txt'),
    );

    expect(result.errors).toEqual([]);
    expect(byType(result.families)).toEqual({ counter: 3, gauge: 27, histogram: 2, summary: 1 });
    expect(sampleCount(result)).toBe(57);
    expect(result.families.filter((f) => f.samples.length === 0).map((f) => f.name)).toEqual([
      'nodejs_active_requests',
      'nodejs_gc_duration_seconds',
      'http_request_duration_seconds',
      'http_request_summary_seconds',
    ]);
    expect(family(result, 'nodejs_version_info').samples[0]?.labels).toEqual({
      version: 'v20.10.0',
      major: '20',
      minor: '10',
      patch: '0',
    });
  });
});

describe('OpenMetrics', () => {
  const om = (lines: string[]): ParseResult =>
    parsePrometheusText(`${lines.join('\n')}\n`, { format: 'openmetrics' });

  it('reads every family type with its suffixes, UNIT and # EOF', () => {
    const result = om([
      '# TYPE queue_seconds gaugehistogram',
      '# UNIT queue_seconds seconds',
      'queue_seconds_bucket{le="1"} 3',
      'queue_seconds_bucket{le="+Inf"} 5',
      'queue_seconds_gcount 5',
      'queue_seconds_gsum 2.5',
      '# TYPE build info',
      'build_info{version="1.2.3"} 1',
      '# TYPE feature stateset',
      'feature{feature="a"} 1',
      'feature{feature="b"} 0',
      '# TYPE jobs counter',
      'jobs_total 3 # {trace_id="x"} 1 1700000000.5',
      'jobs_created 1700000000',
      '# TYPE rest unknown',
      'rest 1',
      '# EOF',
    ]);

    expect(result.errors).toEqual([]);
    expect(result.format).toBe('openmetrics');
    expect(result.families.map((f) => [f.name, f.type, f.unit, f.samples.length])).toEqual([
      ['queue_seconds', 'gaugehistogram', 'seconds', 4],
      ['build', 'info', null, 1],
      ['feature', 'stateset', null, 2],
      ['jobs', 'counter', null, 2],
      ['rest', 'unknown', null, 1],
    ]);
  });

  it('enforces the OpenMetrics rules when the producer declared the format', () => {
    const result = om([
      '# TYPE jobs counter',
      'jobs 3',
      'jobs_total -1',
      '# TYPE build info',
      'build_info 2',
      '# TYPE feature stateset',
      'feature{feature="a"} 2',
      'feature{other="a"} 1',
      '# TYPE size_bytes gauge',
      '# UNIT size_bytes seconds',
    ]);

    expect(result.errors.map((e) => e.message)).toEqual([
      'line 2: expected the sample "jobs_total" of counter "jobs" in "jobs 3"',
      'line 3: expected a counter value of 0 or more in "jobs_total", found -1 in "jobs_total -1"',
      'line 5: expected the value 1 in info "build", found 2 in "build_info 2"',
      'line 7: expected a value of 0 or 1 in stateset "feature", found 2 in "feature{feature="a"} 2"',
      'line 8: expected a label "feature" naming the state of stateset "feature" in "feature{other="a"} 1"',
      'line 10: expected the family name "size_bytes" to end with the unit "_seconds" in "# UNIT size_bytes seconds"',
      'line 11: expected "# EOF" to end the OpenMetrics exposition',
    ]);
  });

  it('reads an undeclared text with # EOF as OpenMetrics but leniently', () => {
    const result = parsePrometheusText('# TYPE jobs counter\njobs 3\n# EOF\n');

    expect(result.errors).toEqual([]);
    expect(result.format).toBe('openmetrics');
    expect(parsePrometheusText('up 1\n').format).toBe('prometheus');
  });
});

describe('parsePrometheusText', () => {
  it('unescapes HELP text and keeps TYPE and UNIT', () => {
    const result = parsePrometheusText(
      [
        '# HELP a_seconds Line one\\nline two with a \\\\ backslash and \\"quotes\\"',
        '# TYPE a_seconds gauge',
        '# UNIT a_seconds seconds',
        'a_seconds 1.5',
      ].join('\n'),
    );

    expect(result.errors).toEqual([]);
    expect(result.families).toEqual([
      {
        name: 'a_seconds',
        type: 'gauge',
        help: 'Line one\nline two with a \\ backslash and "quotes"',
        unit: 'seconds',
        samples: [
          { name: 'a_seconds', labels: {}, value: 1.5, timestamp: null, exemplar: null, line: 4 },
        ],
      },
    ]);
  });

  it('unescapes label values and reads timestamps', () => {
    const result = parsePrometheusText(
      'msg{text="say \\"hi\\"",path="C:\\\\dir",multi="a\\nb",} 3 1700000000000\n',
    );

    expect(result.errors).toEqual([]);
    const sample = result.families[0]?.samples[0];
    expect(sample?.labels).toEqual({ text: 'say "hi"', path: 'C:\\dir', multi: 'a\nb' });
    expect(sample?.value).toBe(3);
    expect(sample?.timestamp).toBe(1700000000000);
  });

  it('reads NaN, +Inf, -Inf and exponents', () => {
    const result = parsePrometheusText('a NaN\nb +Inf\nc -Inf\nd 1.5e-3\ne -2E+2\n');

    expect(result.errors).toEqual([]);
    expect(result.families.map((f) => f.samples[0]?.value)).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.0015,
      -200,
    ]);
  });

  it('groups histogram children under the family name', () => {
    const result = parsePrometheusText(
      [
        '# TYPE rpc_seconds histogram',
        'rpc_seconds_bucket{le="0.1"} 2',
        'rpc_seconds_bucket{le="+Inf"} 5',
        'rpc_seconds_sum 1.25',
        'rpc_seconds_count 5',
        'rpc_seconds_created 1700000000.5',
      ].join('\n'),
    );

    expect(result.errors).toEqual([]);
    expect(result.families).toHaveLength(1);
    expect(result.families[0]?.type).toBe('histogram');
    expect(result.families[0]?.samples.map((s) => s.name)).toEqual([
      'rpc_seconds_bucket',
      'rpc_seconds_bucket',
      'rpc_seconds_sum',
      'rpc_seconds_count',
      'rpc_seconds_created',
    ]);
  });

  it('groups summary quantiles, sum and count under the family name', () => {
    const result = parsePrometheusText(
      [
        '# TYPE gc summary',
        'gc{quantile="0.5"} 0.1',
        'gc{quantile="0.99"} NaN',
        'gc_sum 3',
        'gc_count 30',
      ].join('\n'),
    );

    expect(result.families).toHaveLength(1);
    expect(result.families[0]?.samples.map((s) => s.labels.quantile ?? s.name)).toEqual([
      '0.5',
      '0.99',
      'gc_sum',
      'gc_count',
    ]);
  });

  it('reads OpenMetrics counters, exemplars and # EOF', () => {
    const result = parsePrometheusText(
      [
        '# TYPE requests counter',
        '# HELP requests Requests served.',
        'requests_total{code="200"} 10 # {trace_id="abc"} 1 1700000000.123',
        'requests_created{code="200"} 1700000000',
        'latency_bucket{le="1"} 4 # {trace_id="def"} 0.5',
        '# EOF',
      ].join('\n'),
    );

    expect(result.errors).toEqual([]);
    const requests = family(result, 'requests');
    expect(requests.type).toBe('counter');
    expect(requests.samples).toHaveLength(2);
    expect(requests.samples[0]?.exemplar).toEqual({
      labels: { trace_id: 'abc' },
      value: 1,
      timestamp: 1700000000.123,
    });
    expect(family(result, 'latency_bucket').samples[0]?.exemplar).toEqual({
      labels: { trace_id: 'def' },
      value: 0.5,
      timestamp: null,
    });
  });

  it('keeps samples without metadata as untyped families, one per name', () => {
    const result = parsePrometheusText('x_sum 1\nx_count 2\n# free comment\ny{a="b"} 3\n');

    expect(result.families.map((f) => [f.name, f.type])).toEqual([
      ['x_sum', 'untyped'],
      ['x_count', 'untyped'],
      ['y', 'untyped'],
    ]);
  });

  it('reads CRLF line ends, blank lines and tabs', () => {
    const result = parsePrometheusText('# TYPE a counter\r\n\r\na\t7\r\n');

    expect(result.errors).toEqual([]);
    expect(result.families[0]?.samples[0]?.value).toBe(7);
  });

  it('reports malformed lines with their numbers and keeps the rest', () => {
    const result = parsePrometheusText(
      [
        '# TYPE ok gauge',
        'ok 1',
        'broken{a="1" 2',
        'ok{b="2"} 3',
        'novalue{a="x"}',
        '# TYPE weird flavour',
        'ok{c="3"} 4',
      ].join('\n'),
    );

    expect(result.errors).toEqual([
      { line: 3, message: 'line 3: expected "," or "}" after label "a" in "broken{a="1" 2"' },
      {
        line: 5,
        message: 'line 5: expected a space and a value after "novalue" in "novalue{a="x"}"',
      },
      {
        line: 6,
        message:
          'line 6: expected a type (one of counter, gauge, histogram, gaugehistogram, summary, ' +
          'info, stateset, untyped, unknown), found "flavour" in "# TYPE weird flavour"',
      },
    ]);
    expect(family(result, 'ok').samples.map((s) => s.value)).toEqual([1, 3, 4]);
  });

  it('reports bad values, escapes, timestamps and lines after # EOF', () => {
    const long = `m{a="${'x'.repeat(100)}"} one`;
    const result = parsePrometheusText(
      ['m 0x10', 'm{a="\\t"} 1', 'm 1 2 3', 'm 1 NaN', long, '# EOF', 'm 2'].join('\n'),
    );

    expect(result.errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(result.errors[0]?.message).toBe(
      'line 1: expected the value of "m" as a number, found "0x10" in "m 0x10"',
    );
    expect(result.errors[4]?.message).toBe(
      `line 5: expected the value of "m" as a number, found "one" in "${long.slice(0, 80)}..."`,
    );
    expect(result.errors[5]?.message).toBe(
      'line 7: expected nothing after "# EOF" (line 6) in "m 2"',
    );
  });

  it('reports a duplicate label, a second TYPE and an unclosed quote', () => {
    const result = parsePrometheusText(
      ['m{a="1",a="2"} 1', '# TYPE t gauge', '# TYPE t counter', 'm{a="1} 1'].join('\n'),
    );

    expect(result.errors.map((e) => e.message)).toEqual([
      'line 1: expected label "a" only once in "m{a="1",a="2"} 1"',
      'line 3: expected one TYPE line for "t", found a second in "# TYPE t counter"',
      'line 4: expected a closing quote for label "a" in "m{a="1} 1"',
    ]);
  });

  it('reports a bucket without a numeric le, a quantile-less summary sample and a bare histogram sample', () => {
    const result = parsePrometheusText(
      [
        '# TYPE h histogram',
        'h_bucket{le="0.5"} 1',
        'h_bucket{path="/"} 2',
        'h_bucket{le="high"} 3',
        'h 4',
        'h_bucket{le=""} 5',
        '# TYPE s summary',
        's{quantile="0.5"} 1',
        's{path="/"} 2',
        's_sum 3',
      ].join('\n'),
    );

    expect(result.errors.map((e) => e.message)).toEqual([
      'line 3: expected a "le" label on the samples of "h" in "h_bucket{path="/"} 2"',
      'line 4: expected a number in label le="high" of "h" in "h_bucket{le="high"} 3"',
      'line 5: expected a _bucket, _count or _sum sample of histogram "h" in "h 4"',
      'line 6: expected a number in label le="" of "h" in "h_bucket{le=""} 5"',
      'line 9: expected a "quantile" label on the samples of "s" in "s{path="/"} 2"',
    ]);
    expect(family(result, 'h').samples).toHaveLength(1);
    expect(family(result, 's').samples).toHaveLength(2);
  });

  it('reports a second HELP line', () => {
    const result = parsePrometheusText('# HELP a one\n# HELP a two\na 1\n');

    expect(result.errors.map((e) => e.message)).toEqual([
      'line 2: expected one HELP line for "a", found a second in "# HELP a two"',
    ]);
    expect(family(result, 'a').help).toBe('one');
  });

  it('reads quoted UTF-8 metric and label names', () => {
    const result = parsePrometheusText(
      [
        '# TYPE "http.server.duration" gauge',
        '{"http.server.duration","service.name"="api",code="200"} 0.25',
        '{"http.server.duration", "service.name"="web"} 0.5',
      ].join('\n'),
    );

    expect(result.errors).toEqual([]);
    expect(family(result, 'http.server.duration').samples.map((s) => s.labels)).toEqual([
      { 'service.name': 'api', code: '200' },
      { 'service.name': 'web' },
    ]);
  });

  it('keeps label values with spaces, braces and hashes, and awkward label names', () => {
    const result = parsePrometheusText(
      'm{path="/a b#c}",constructor="x",__proto__="p"} 1\nm{a="1",a="2"} 2\n',
    );

    expect(result.errors.map((e) => e.message)).toEqual([
      'line 2: expected label "a" only once in "m{a="1",a="2"} 2"',
    ]);
    const labels = family(result, 'm').samples[0]?.labels;
    expect(labels?.path).toBe('/a b#c}');
    expect(Object.keys(labels ?? {})).toEqual(['path', 'constructor', '__proto__']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it('reads number forms the formats allow and rejects the ones they do not', () => {
    const allowed = [
      'a .5',
      'b -0.25e-2',
      'c +inf',
      'd 007',
      'e 5.',
      'f 1E+3',
      'g 1234567890123456',
    ];
    const refused = [
      'h Infinity',
      'i 1_0',
      'j 0x1f',
      'k +NaN',
      'l 0b1',
      'm 0O7',
      'n 1e',
      'o 1.2.3',
    ];
    const result = parsePrometheusText([...allowed, ...refused, 'p 1\u00a0'].join('\n'));

    expect(result.families.map((f) => [f.name, f.samples[0]?.value])).toEqual([
      ['a', 0.5],
      ['b', -0.0025],
      ['c', Number.POSITIVE_INFINITY],
      ['d', 7],
      ['e', 5],
      ['f', 1000],
      ['g', 1234567890123456],
    ]);
    expect(result.errors.map((e) => e.line)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('gives the same families whichever reader takes a line', () => {
    // A trailing blank sends every sample line to the careful reader; the fast one takes the rest.
    const lines = [
      '# TYPE rpc histogram',
      ...['0.1', '1', '+Inf'].map((le, i) => `rpc_bucket{code="200",le="${le}"} ${i * 10}`),
      'rpc_sum{code="200"} 12.5 1700000000000',
      'rpc_count{code="200"} 20',
      'plain 3',
    ];
    const fast = parsePrometheusText(lines.join('\n'));
    const careful = parsePrometheusText(lines.map((line) => `${line} `).join('\n'));

    expect(fast.errors).toEqual([]);
    expect(careful).toEqual(fast);
  });

  it('parses a scrape of 100,000 samples completely', () => {
    const lines: string[] = ['# TYPE big counter'];
    for (let i = 0; i < 100_000; i += 1) lines.push(`big{id="${i}",path="/a/b"} ${i}`);
    const result = parsePrometheusText(lines.join('\n'));

    expect(sampleCount(result)).toBe(100_000);
  });
});
