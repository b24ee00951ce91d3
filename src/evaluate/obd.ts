/**
 * `flywheel evaluate obd`: off-policy evaluation of Flywheel's Thompson-sampling policy on the
 * Open Bandit Dataset's uniform-random log (replay, IPW, SNIPW with bootstrap intervals), beside
 * the click-through rate that the production Thompson-sampling policy reached in its own log.
 *
 * Flywheel's policy is the thompson operator's: a Beta posterior per item, and in each slot the
 * item with the highest posterior draw. Its posterior is learned from a training log (by default
 * the production policy's log; `train: 'random'` uses the first half of the random log) and it is
 * evaluated, without learning further, on the rows it did not learn from. Its probability of
 * showing each item is its probability of being best (Monte Carlo), the same propensity the
 * operator records in its decision log.
 */
import { join } from 'node:path';
import { ThompsonBandit } from '../operators/thompson/bandit.ts';
import { createRng, hashSeed } from '../stats/index.ts';
import type { Rng } from '../stats/index.ts';
import {
  bootstrapIntervals,
  clopperPearson,
  effectiveSampleSize,
  estimate,
  sumLog,
} from './estimators.ts';
import type { Interval, PreparedLog } from './estimators.ts';
import { loadBanditLog } from './obd-data.ts';
import type { BanditLog } from './obd-data.ts';

/** Where Flywheel's policy learns its posterior. */
export const TRAIN_SOURCES = ['bts', 'random'] as const;
export type TrainSource = (typeof TRAIN_SOURCES)[number];

/** Options of `evaluateObd`. */
export interface ObdOptions {
  /** Folder holding `bts/<campaign>/<campaign>.csv` and `random/<campaign>/<campaign>.csv`. */
  dataDir: string;
  /** Campaign: `men` in the small sample; `women` and `all` in the full data set. */
  campaign: string;
  seed: number;
  /** `bts`: learn from the production log, evaluate on all of the random log; `random`: learn
   * from the first half (by time) of the random log, evaluate on the second. */
  train: TrainSource;
  priorAlpha: number;
  priorBeta: number;
  /** Monte Carlo draws for the policy's probability of choosing each item. */
  draws: number;
  /** Bootstrap resamples per interval. */
  resamples: number;
  /** Interval coverage, e.g. 0.95. */
  level: number;
}

/** One estimate of a click-through rate with its bootstrap interval. */
export interface RateEstimate {
  name: string;
  ctr: number | null;
  interval: Interval | null;
  /** Rows behind it: matched rows for replay, the effective sample size for the weighted ones. */
  support: number;
  supportKind: 'rows' | 'matched rows' | 'effective rows';
  /** Replay only: the Clopper-Pearson interval given the matched rows and their clicks. */
  exactInterval?: Interval | null;
}

/** What `evaluateObd` found. */
export interface ObdReport {
  dataset: 'obd';
  dataDir: string;
  options: Omit<ObdOptions, 'dataDir'>;
  evaluation: { file: string; rows: number; clicks: number; items: number };
  training: { file: string; rows: number; clicks: number };
  /** Flywheel's policy: per item its training counts and its probability of being shown. */
  policy: Array<{ item: number; shown: number; clicks: number; probability: number }>;
  /** Flywheel's policy's CTR by replay, IPW and SNIPW. */
  estimates: RateEstimate[];
  /** The logged policies' own CTRs: the production Thompson sampling and uniform random. */
  logged: RateEstimate[];
  /** The production policy's item mix estimated like Flywheel's policy, against its own CTR. */
  check: RateEstimate;
  skippedRows: number;
  elapsedMs: number;
}

function slice(log: BanditLog, start: number, end: number): BanditLog {
  return {
    ...log,
    rows: end - start,
    item: log.item.subarray(start, end),
    position: log.position.subarray(start, end),
    click: log.click.subarray(start, end),
    propensity: log.propensity.subarray(start, end),
  };
}

function clicksOf(log: BanditLog): number {
  return log.click.reduce((sum, c) => sum + c, 0);
}

/** The policy's posterior from a training log, one arm per item. */
function trainPolicy(train: BanditLog, items: number, options: ObdOptions, rng: Rng) {
  const shown = new Float64Array(items);
  const clicks = new Float64Array(items);
  for (let i = 0; i < train.rows; i++) {
    const item = train.item[i] as number;
    shown[item] = (shown[item] as number) + 1;
    clicks[item] = (clicks[item] as number) + (train.click[i] as number);
  }
  const bandit = new ThompsonBandit(items, rng, {
    priorAlpha: options.priorAlpha,
    priorBeta: options.priorBeta,
  });
  const failures = shown.map((n, i) => n - (clicks[i] as number));
  bandit.updateAll(clicks, failures);

  return { bandit, shown, clicks };
}

/**
 * The estimator checked against a known answer: the production policy's item mix (each item as
 * often as the bts log showed it), estimated by IPW on the evaluation rows. The bts log's own
 * CTR is what that policy reached on-line; the two differ by what the item mix does not capture
 * (position, time, user), and by noise.
 */
function productionMixCheck(
  bts: BanditLog,
  evaluation: BanditLog,
  items: number,
  options: ObdOptions,
  rng: Rng,
): RateEstimate {
  const share = new Float64Array(items);
  for (let i = 0; i < bts.rows; i++) {
    const item = bts.item[i] as number;
    share[item] = (share[item] as number) + 1 / bts.rows;
  }
  const prepared: PreparedLog = {
    weight: Float64Array.from(
      evaluation.item,
      (item, i) => (share[item] as number) / (evaluation.propensity[i] as number),
    ),
    click: evaluation.click,
    matched: new Uint8Array(evaluation.rows),
  };
  const sums = sumLog(prepared);

  return {
    name: "production policy's item mix, IPW (check)",
    ctr: estimate(sums).ipw,
    interval: bootstrapIntervals(prepared, options.resamples, options.level, rng).ipw,
    support: effectiveSampleSize(sums),
    supportKind: 'effective rows',
  };
}

/** A log's own CTR with its bootstrap interval (every weight 1, so IPW is the mean click). */
function loggedRate(name: string, log: BanditLog, options: ObdOptions, rng: Rng): RateEstimate {
  const prepared: PreparedLog = {
    weight: new Float64Array(log.rows).fill(1),
    click: log.click,
    matched: new Uint8Array(log.rows),
  };
  const intervals = bootstrapIntervals(prepared, options.resamples, options.level, rng);

  return {
    name,
    ctr: clicksOf(log) / log.rows,
    interval: intervals.ipw,
    support: log.rows,
    supportKind: 'rows',
  };
}

/**
 * Runs the evaluation.
 * @throws ConfigError when a log file is missing; ParseError when one is malformed.
 * @example
 * const report = await evaluateObd({ dataDir, campaign: 'men', seed: 1, train: 'bts', ... });
 */
export async function evaluateObd(options: ObdOptions): Promise<ObdReport> {
  const started = performance.now();
  const file = (policy: string) =>
    join(options.dataDir, policy, options.campaign, `${options.campaign}.csv`);
  const [random, bts] = await Promise.all([
    loadBanditLog(file('random')),
    loadBanditLog(file('bts')),
  ]);
  const stream = (purpose: string) => createRng(hashSeed(`${options.seed}/obd/${purpose}`));

  const half = Math.floor(random.rows / 2);
  const train = options.train === 'bts' ? bts : slice(random, 0, half);
  const evaluation = options.train === 'bts' ? random : slice(random, half, random.rows);
  const items = Math.max(random.items, bts.items);
  const { bandit, shown, clicks } = trainPolicy(train, items, options, stream('policy'));
  const probability = bandit.probabilityBest(options.draws);

  // Per row: the weight pi / p of the logged item, and whether the policy's own draw matches it.
  const choices = stream('replay');
  const replayBandit = trainPolicy(train, items, options, choices).bandit;
  const prepared: PreparedLog = {
    weight: new Float64Array(evaluation.rows),
    click: evaluation.click,
    matched: new Uint8Array(evaluation.rows),
  };
  for (let i = 0; i < evaluation.rows; i++) {
    const item = evaluation.item[i] as number;
    prepared.weight[i] = (probability[item] as number) / (evaluation.propensity[i] as number);
    prepared.matched[i] = replayBandit.choose() === item ? 1 : 0;
  }
  const sums = sumLog(prepared);
  const point = estimate(sums);
  const intervals = bootstrapIntervals(
    prepared,
    options.resamples,
    options.level,
    stream('bootstrap'),
  );
  const ess = effectiveSampleSize(sums);

  return {
    dataset: 'obd',
    dataDir: options.dataDir,
    options: {
      campaign: options.campaign,
      seed: options.seed,
      train: options.train,
      priorAlpha: options.priorAlpha,
      priorBeta: options.priorBeta,
      draws: options.draws,
      resamples: options.resamples,
      level: options.level,
    },
    evaluation: {
      file: evaluation.file,
      rows: evaluation.rows,
      clicks: clicksOf(evaluation),
      items,
    },
    training: { file: train.file, rows: train.rows, clicks: clicksOf(train) },
    policy: Array.from(probability, (p, item) => ({
      item,
      shown: shown[item] as number,
      clicks: clicks[item] as number,
      probability: p,
    })),
    estimates: [
      {
        name: 'replay',
        ctr: point.replay,
        interval: intervals.replay,
        support: sums.matches,
        supportKind: 'matched rows',
        exactInterval: clopperPearson(sums.matchedClicks, sums.matches, options.level),
      },
      {
        name: 'IPW',
        ctr: point.ipw,
        interval: intervals.ipw,
        support: ess,
        supportKind: 'effective rows',
      },
      {
        name: 'SNIPW',
        ctr: point.snipw,
        interval: intervals.snipw,
        support: ess,
        supportKind: 'effective rows',
      },
    ],
    logged: [
      loggedRate('production Thompson sampling (bts log)', bts, options, stream('logged/bts')),
      loggedRate('uniform random (evaluation rows)', evaluation, options, stream('logged/random')),
    ],
    check: productionMixCheck(bts, evaluation, items, options, stream('check')),
    skippedRows: random.skipped.length + bts.skipped.length,
    elapsedMs: performance.now() - started,
  };
}
