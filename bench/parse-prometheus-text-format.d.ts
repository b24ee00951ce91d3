/** The bench's only use of parse-prometheus-text-format, which ships no types. */
declare module 'parse-prometheus-text-format' {
  /** Parses Prometheus text format 0.0.4 into prom2json-like families; throws on a bad line. */
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
