import { describe, expect, it } from 'vitest';
import { PREDICTION_AGES_HOURS, fitPredictionModels, isHeldOut, predictLog } from './prediction.ts';
import { makeHistory } from './testing.ts';

const HOUR_MS = 3_600_000;
const OPTIONS = { targetMs: 48 * HOUR_MS, ageTolerance: 1.5, minPairs: 10 };
const K = 0.6;

/** A post growing as N(t) + 1 = (final + 1) (t / 48 h)^K, read at every grid age and at 48 h. */
function powerLawPost(id: string, final: number, platform: 'bluesky' | 'reddit' = 'bluesky') {
  const readings = [...PREDICTION_AGES_HOURS, 48].map(
    (hours) => [hours, (final + 1) * (hours / 48) ** K - 1] as const,
  );
  return makeHistory('acct', id, readings, { platform });
}

describe('fitPredictionModels', () => {
  const posts = Array.from({ length: 60 }, (_, i) => powerLawPost(`p${i}`, 20 + 7 * i));

  it('recovers b(t) = K ln(T / t) for posts that grow as a power of their age', () => {
    const [model] = fitPredictionModels(posts, OPTIONS);

    expect(model!.platform).toBe('bluesky');
    expect(model!.targetHours).toBe(48);
    expect(model!.posts).toBe(60);
    expect(model!.steps.map((step) => step.ageHours)).toEqual([...PREDICTION_AGES_HOURS]);
    for (const step of model!.steps)
      expect(step.b).toBeCloseTo(K * Math.log(48 / step.ageHours), 9);
  });

  it('holds a fixed fifth of the posts out and reports its error beside no-growth', () => {
    const [model] = fitPredictionModels(posts, OPTIONS);
    const heldOut = posts.filter((post) => isHeldOut(post.platform, post.postId)).length;
    const ages = PREDICTION_AGES_HOURS.length;

    expect(heldOut).toBeGreaterThan(0);
    expect(model!.trainPairs).toBe((60 - heldOut) * ages);
    expect(model!.heldOut.pairs).toBe(heldOut * ages);
    expect(model!.heldOut.maeLog).toBeCloseTo(0, 9);
    expect(model!.heldOut.medianRelativeError).toBeCloseTo(0, 9);
    const persistence =
      PREDICTION_AGES_HOURS.reduce((sum, hours) => sum + K * Math.log(48 / hours), 0) / ages;
    expect(model!.heldOut.persistenceMaeLog).toBeCloseTo(persistence, 9);
  });

  it('fits each platform apart and skips ages with too few pairs', () => {
    const few = Array.from({ length: 5 }, (_, i) => powerLawPost(`r${i}`, 50, 'reddit'));
    const models = fitPredictionModels([...posts, ...few], OPTIONS);

    expect(models.map((model) => model.platform)).toEqual(['bluesky', 'reddit']);
    expect(models[1]!.steps).toEqual([]);
    expect(models[1]!.heldOut).toEqual({
      pairs: 0,
      maeLog: null,
      persistenceMaeLog: null,
      medianRelativeError: null,
    });
  });

  it('takes no pair from one reading, or two a moment apart, serving as both t and T', () => {
    // Seen at 40 h (and again a second later): within 1.5x of 48 h, 32 h and 40 h, but no
    // growth between them was observed.
    const once = Array.from({ length: 20 }, (_, i) => makeHistory('a', `o${i}`, [[40, 100]]));
    const twice = Array.from({ length: 20 }, (_, i) =>
      makeHistory('a', `t${i}`, [
        [40, 100],
        [40 + 1 / 3600, 101],
      ]),
    );

    expect(fitPredictionModels([...once, ...twice], OPTIONS)).toEqual([]);
  });

  it('pairs readings close to T when they are far enough apart', () => {
    // Hourly readings: 40 h and 48 h are 8 h apart, at least half of 48 - 40.
    const hourly = Array.from({ length: 20 }, (_, i) =>
      makeHistory(
        'a',
        `h${i}`,
        Array.from({ length: 48 }, (_, h) => [h + 1, (h + 1) * (10 + i)] as const),
      ),
    );
    const [model] = fitPredictionModels(hourly, { ...OPTIONS, minPairs: 1 });

    expect(model!.steps.map((step) => step.ageHours)).toEqual([...PREDICTION_AGES_HOURS]);
  });

  it('keeps the median growth when a few posts take off late', () => {
    const late = Array.from({ length: 5 }, (_, i) =>
      makeHistory('a', `late${i}`, [
        [6, 10],
        [48, 5_000],
      ]),
    );
    const [model] = fitPredictionModels([...posts, ...late], OPTIONS);
    const six = model!.steps.find((step) => step.ageHours === 6)!;

    expect(six.b).toBeCloseTo(K * Math.log(8), 9);
  });
});

describe('predictLog', () => {
  const [model] = fitPredictionModels(
    Array.from({ length: 40 }, (_, i) => powerLawPost(`p${i}`, 30 + i)),
    OPTIONS,
  );

  it('interpolates b in log(age) between fitted ages, exact for power-law growth', () => {
    const now = Math.log1p(12);
    expect(predictLog(model!, 5 * HOUR_MS, now, 1.5)).toBeCloseTo(now + K * Math.log(48 / 5), 9);
    expect(predictLog(model!, 44 * HOUR_MS, now, 1.5)).toBeCloseTo(now + K * Math.log(48 / 44), 9);
  });

  it('predicts no growth at or past the target age', () => {
    expect(predictLog(model!, 48 * HOUR_MS, 3, 1.5)).toBe(3);
    expect(predictLog(model!, 90 * HOUR_MS, 3, 1.5)).toBe(3);
  });

  it('uses the first fitted age just below it and nothing much younger', () => {
    expect(predictLog(model!, 0.8 * HOUR_MS, 2, 1.5)).toBeCloseTo(2 + K * Math.log(48), 9);
    expect(predictLog(model!, 0.5 * HOUR_MS, 2, 1.5)).toBeNull();
    expect(predictLog(model!, 0, 2, 1.5)).toBeNull();
    expect(predictLog({ ...model!, steps: [] }, 6 * HOUR_MS, 2, 1.5)).toBeNull();
  });
});
