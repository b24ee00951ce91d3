/**
 * Imported first by `main.ts`, so the V8 settings of `useLeanRuntime` apply before the other
 * modules are evaluated (ES modules evaluate in import order) and before they grow the heap.
 */
import { useLeanRuntime } from '../observe/runtime.ts';

useLeanRuntime();
