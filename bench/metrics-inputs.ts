/**
 * Inputs of `npm run bench:metrics`: the real expositions from ../shared/data when present, and
 * a generated exporter scrape of about 1 MB so the bench runs anywhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/stats/index.ts';

const DATA = fileURLToPath(new URL('../../shared/data/prometheus-exposition/', import.meta.url));

/** One exposition to parse. */
export interface ParserInput {
  name: string;
  text: string;
}

/** The real scrapes (when the shared data is present) and the generated one. */
export function parserInputs(): ParserInput[] {
  const inputs: ParserInput[] = [];
  const real: Array<[string, string]> = [
    ['Prometheus server scrape', 'alltypes.237mfs.prom.txt'],
    ['same, no HELP/TYPE', 'alltypes.237mfs.nometa.prom.txt'],
  ];
  for (const [name, file] of real) {
    if (existsSync(`${DATA}${file}`))
      inputs.push({ name, text: readFileSync(`${DATA}${file}`, 'utf8') });
  }
  if (inputs.length === 0) console.log('(../shared/data absent: generated input only)');

  inputs.push({ name: 'generated exporter, 1 MB', text: generateExposition(1_000_000) });
  return inputs;
}

/**
 * A Prometheus 0.0.4 scrape shaped like a busy HTTP service's: request counters by method, route
 * and code, latency histograms with the default buckets, a GC summary and process gauges, until
 * it reaches `bytes`. Seeded, so every run parses the same text.
 */
export function generateExposition(bytes: number): string {
  const rng = createRng(42);
  const lines: string[] = [];
  let size = 0;
  const push = (line: string): void => {
    lines.push(line);
    size += line.length + 1;
  };
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

  for (let service = 0; size < bytes; service += 1) {
    const prefix = `app${service}`;
    push(`# HELP ${prefix}_http_requests_total Requests served, by method, route and code.`);
    push(`# TYPE ${prefix}_http_requests_total counter`);
    for (const method of ['GET', 'POST']) {
      for (let route = 0; route < 8; route += 1) {
        for (const code of ['200', '404', '500']) {
          const value = Math.floor(rng() * 1e6);
          push(
            `${prefix}_http_requests_total{method="${method}",route="/api/v1/items/${route}",code="${code}"} ${value}`,
          );
        }
      }
    }

    push(`# HELP ${prefix}_http_request_duration_seconds Latency of requests.`);
    push(`# TYPE ${prefix}_http_request_duration_seconds histogram`);
    for (let route = 0; route < 8; route += 1) {
      let count = 0;
      for (const le of buckets) {
        count += Math.floor(rng() * 500);
        push(
          `${prefix}_http_request_duration_seconds_bucket{route="/api/v1/items/${route}",le="${le}"} ${count}`,
        );
      }
      count += Math.floor(rng() * 20);
      push(
        `${prefix}_http_request_duration_seconds_bucket{route="/api/v1/items/${route}",le="+Inf"} ${count}`,
      );
      push(
        `${prefix}_http_request_duration_seconds_sum{route="/api/v1/items/${route}"} ${(rng() * count).toFixed(6)}`,
      );
      push(
        `${prefix}_http_request_duration_seconds_count{route="/api/v1/items/${route}"} ${count}`,
      );
    }

    push(`# HELP ${prefix}_gc_duration_seconds GC pauses.`);
    push(`# TYPE ${prefix}_gc_duration_seconds summary`);
    for (const quantile of ['0', '0.25', '0.5', '0.75', '1']) {
      push(
        `${prefix}_gc_duration_seconds{quantile="${quantile}"} ${(rng() / 1000).toExponential(4)}`,
      );
    }
    push(`${prefix}_gc_duration_seconds_sum ${(rng() * 40).toFixed(9)}`);
    push(`${prefix}_gc_duration_seconds_count ${Math.floor(rng() * 2e5)}`);

    push(`# HELP ${prefix}_process_resident_memory_bytes Resident memory size in bytes.`);
    push(`# TYPE ${prefix}_process_resident_memory_bytes gauge`);
    push(`${prefix}_process_resident_memory_bytes ${(rng() * 1e9).toExponential(8)}`);
  }

  return `${lines.join('\n')}\n`;
}

/** Ten million seeded values with a heavy tail (exponential), as latencies look. */
export function latencyValues(count: number): Float64Array {
  const rng = createRng(7);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i += 1) values[i] = -Math.log(1 - rng()) * 120;
  return values;
}
