/** Statistics: order statistics, summaries, histogram quantiles, seeded sampling and the Beta CDF. */
export {
  MAD_NORMAL_SCALE,
  mad,
  median,
  quantileSorted,
  quantiles,
  summarize,
} from './descriptive.ts';
export type { NumericArray, Summary } from './descriptive.ts';
export { histogramQuantile } from './histogram-quantile.ts';
export type { HistogramBucket, HistogramQuantile } from './histogram-quantile.ts';
export { createRng, hashSeed, randomIndex, shuffleInPlace } from './random.ts';
export type { Rng } from './random.ts';
export { BetaVector, beta, fillBeta } from './beta-sampler.ts';
export { betaCdf, lnGamma } from './beta-cdf.ts';
