/**
 * A process-wide V8 setting the HTTP layer has a measured reason for. undici parses HTTP/1 with
 * llhttp compiled to WebAssembly; V8 first compiles it with its baseline compiler (Liftoff) and
 * later, once the parser is hot, again with TurboFan in the background. That second compile of
 * llhttp's large state machine takes about 20 to 25 MB of memory for a moment: `flywheel bench`
 * saw the optimised scrape's peak RSS at 136 MB with it and 111 MB without it (the same run;
 * Node 20.20, x64), while the client's CPU time per request stayed within the noise of
 * `npm run bench:http` (55.9 and 52.2 us). Flywheel's responses are small JSON pages, so the
 * parser is never where the time goes.
 */
import { setFlagsFromString } from 'node:v8';

let isApplied = false;

/**
 * Keeps WebAssembly (undici's HTTP parser) on V8's baseline compiler, for a lower peak memory.
 * It changes the whole process, so process entry points call it (the CLI does, before its first
 * request); a library embedding Flywheel decides for its own process. Idempotent.
 *
 * @example
 * useBaselineWasmCompiler();
 * const http = createHttpClient();
 */
export function useBaselineWasmCompiler(): void {
  if (isApplied) return;
  isApplied = true;
  setFlagsFromString('--liftoff-only');
}
