/** Statistics: order statistics, summaries, seeded sampling and the Beta CDF. */
export {
  MAD_NORMAL_SCALE,
  mad,
  madScaled,
  median,
  quantile,
  quantileSorted,
  summarize,
} from './descriptive.ts';
export type { NumericArray, Summary } from './descriptive.ts';
export { beta, createRng, gamma, hashSeed, logGamma, normal } from './random.ts';
export type { Rng } from './random.ts';
export { betaCdf, lnGamma } from './beta-cdf.ts';
