/** Statistics: order statistics, summaries, histogram quantiles, seeded sampling, the Beta CDF. */
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
export { beta, createRng, gamma, hashSeed, logGamma, normal } from './random.ts';
export type { Rng } from './random.ts';
export { betaCdf, lnGamma } from './beta-cdf.ts';
