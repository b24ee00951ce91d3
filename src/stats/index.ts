/** Statistics: order statistics, summaries, histogram quantiles, seeded sampling, the Beta CDF and the KS test. */
export {
  MAD_NORMAL_SCALE,
  mad,
  madScaled,
  median,
  quantile,
  quantileSorted,
  quantiles,
  summarize,
} from './descriptive.ts';
export type { NumericArray, Summary } from './descriptive.ts';
export { histogramQuantile } from './histogram-quantile.ts';
export type { HistogramBucket, HistogramQuantile } from './histogram-quantile.ts';
export { createRng, hashSeed, randomIndex, shuffleInPlace } from './random.ts';
export type { Rng } from './random.ts';
export { normal } from './normal.ts';
export { gamma, logGamma } from './gamma.ts';
export { BetaVector, beta, fillBeta } from './beta-sampler.ts';
export { betaCdf, lnGamma } from './beta-cdf.ts';
export { ksCriticalValue, ksStatistic } from './ks.ts';
