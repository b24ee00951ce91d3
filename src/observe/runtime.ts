/**
 * Process-wide V8 settings Flywheel has a measured reason for, applied by process entry points
 * (the CLI and the bench's children), never by library code: they change the whole process.
 *
 * Both trade a little peak throughput for a lower, steadier peak memory; `flywheel bench`
 * measured each (docs/bench.md, "Where the memory goes"; Node 20.20, x64, 2 CPUs):
 *
 * - WebAssembly stays on V8's baseline compiler (Liftoff). undici parses HTTP/1 with llhttp
 *   compiled to WebAssembly, and V8 compiles the parser again with TurboFan once it is hot; that
 *   background compile of llhttp's large state machine takes 20 to 25 MB for a moment. The
 *   optimised scrape peaked at 136 MB with it and 111 MB without it, while the client's CPU per
 *   request stayed within the noise of `npm run bench:http` (55.9 and 52.2 us).
 * - The young generation keeps the size it has once the modules are loaded. V8 doubles its
 *   semi-spaces, up to 16 MB each, whenever enough data has survived scavenges since the last
 *   growth, which any long streaming job reaches: a 1,000,000-post import into SQLite held a
 *   flat 107 MiB from 180,000 posts on, 37 MiB of it heap that was mostly empty young space; with
 *   growth off it peaked at 84 MiB, for the same CPU time (3.5 s user for 150,000 posts either
 *   way). Node's `--max-semi-space-size` would do the same but cannot be set from inside the
 *   process; the growth factor is read at each growth, so it can.
 */
import { setFlagsFromString } from 'node:v8';

let isApplied = false;

/**
 * Applies the settings above. Call it early, from a process entry point, before the first HTTP
 * request; calling it again does nothing. `--semi-space-growth-factor` or `--liftoff-only` given
 * on the command line are overridden.
 *
 * They suit the operators' work, which waits on the network far more than it computes. CPU-bound
 * work pays for the small young generation with more collections: `flywheel evaluate upworthy
 * --limit 400` took 8.3 to 8.7 s with them and 6.7 to 7.7 s without, so the CLI leaves
 * `evaluate` on V8's defaults.
 *
 * @example
 * useLeanRuntime();
 * await runFlywheel({ config });
 */
export function useLeanRuntime(): void {
  if (isApplied) return;
  isApplied = true;
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--semi-space-growth-factor=1');
}
