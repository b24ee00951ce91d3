/** The built-in simulator: simulated platforms and services for the demo, benchmarks and tests. */
export { startSimulator } from './server.ts';
export type { PlantedPost, SimConfig, SimOptions, SimStats, Simulator } from './types.ts';
export { Random, createRandom, hashSeed } from './random.ts';
