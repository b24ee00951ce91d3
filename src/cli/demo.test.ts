import { describe, expect, it } from 'vitest';
import { isConfigError } from '../errors.ts';
import { demoSchedule } from './demo.ts';

describe('demoSchedule', () => {
  it('reads --runs and --every, one run every 3 hours by default', () => {
    expect(demoSchedule({})).toEqual({ runs: 1, everyMs: 3 * 3_600_000 });
    expect(demoSchedule({ runs: '13', every: '90m' })).toEqual({ runs: 13, everyMs: 5_400_000 });
  });

  it('refuses a run count or an interval it cannot use, naming the flag and the value', () => {
    const refusal = (flags: { runs?: string; every?: string }): string => {
      try {
        demoSchedule(flags);
      } catch (error) {
        expect(isConfigError(error)).toBe(true);
        return (error as Error).message;
      }
      return 'accepted';
    };

    expect(refusal({ runs: '0' })).toBe('--runs: got "0", expected a whole number from 1 to 1000');
    expect(refusal({ runs: '2.5' })).toContain('--runs: got "2.5"');
    expect(refusal({ every: 'soon' })).toContain(
      '--every: got "soon", expected a duration of at least 1 ms',
    );
    expect(refusal({ every: '0s' })).toContain('--every: got "0s"');
  });
});
