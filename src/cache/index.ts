/** The cache: in memory in the embedded mode. */
export { createMemoryCache } from './memory.ts';
export type { MemoryCache, MemoryCacheOptions } from './memory.ts';
