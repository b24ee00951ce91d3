import { describe, expect, it } from 'vitest';
import { ksCriticalValue, ksStatistic } from './ks.ts';

describe('ksStatistic', () => {
  it('takes the largest gap on either side of each step', () => {
    // Against U(0, 1): gaps 1/3 - 0.1, 0.1, 2/3 - 0.5, 0.5 - 1/3, 1 - 0.9, 0.9 - 2/3.
    expect(ksStatistic([0.1, 0.5, 0.9], (x) => x)).toBeCloseTo(0.9 - 2 / 3, 15);
  });

  it('evaluates only the points below a bound, ranking all of them', () => {
    // At 1 the gap is 1 - 2/3; below it the largest is 1/3 - 0.1.
    expect(ksStatistic([0.1, 0.5, 1], (x) => x)).toBeCloseTo(1 / 3, 15);
    expect(ksStatistic([0.1, 0.5, 1], (x) => x, 1)).toBeCloseTo(1 / 3 - 0.1, 15);
  });
});

describe('ksCriticalValue', () => {
  it("matches the tables' asymptotic values", () => {
    // Tables give 1.358 at alpha = 0.05 and 1.949 at alpha = 0.001.
    const root = 1_000;
    const scale = root + 0.12 + 0.11 / root;
    expect(ksCriticalValue(1e6, 0.05) * scale).toBeCloseTo(1.3581, 4);
    expect(ksCriticalValue(1e6, 0.001) * scale).toBeCloseTo(1.9495, 4);
  });

  it('rejects an alpha outside (0, 0.2]', () => {
    expect(() => ksCriticalValue(100, 0.5)).toThrow('got 0.5, expected a number in (0, 0.2]');
  });
});
