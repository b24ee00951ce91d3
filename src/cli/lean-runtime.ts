/**
 * Imported first by `main.ts`, so the V8 settings of `useLeanRuntime` apply before the other
 * modules are evaluated (ES modules evaluate in import order) and before they grow the heap.
 * `flywheel evaluate`, which computes rather than waits, keeps V8's defaults (see
 * `useLeanRuntime` for the measurement).
 */
import { useLeanRuntime } from '../observe/runtime.ts';

const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
if (command !== 'evaluate') useLeanRuntime();
