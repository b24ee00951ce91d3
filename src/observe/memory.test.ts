import { describe, expect, it, vi } from 'vitest';
import { trackPeakRss } from './memory.ts';

describe('trackPeakRss', () => {
  it('returns the highest sampled RSS, the stop sample included', () => {
    vi.useFakeTimers();
    const samples = [100, 300, 200, 150];
    const rss = vi.spyOn(process.memoryUsage, 'rss').mockImplementation(() => samples.shift() ?? 0);
    try {
      const tracker = trackPeakRss(10);
      vi.advanceTimersByTime(20);

      expect(tracker.stop()).toBe(300);
      expect(rss).toHaveBeenCalledTimes(4);
      expect(tracker.stop()).toBe(300);
    } finally {
      rss.mockRestore();
      vi.useRealTimers();
    }
  });

  it('takes the sample at stop when it is the largest', () => {
    vi.useFakeTimers();
    const samples = [100, 500];
    const rss = vi.spyOn(process.memoryUsage, 'rss').mockImplementation(() => samples.shift() ?? 0);
    try {
      expect(trackPeakRss().stop()).toBe(500);
    } finally {
      rss.mockRestore();
      vi.useRealTimers();
    }
  });

  it('reports a real positive RSS', () => {
    const tracker = trackPeakRss();

    expect(tracker.stop()).toBeGreaterThan(1024 * 1024);
  });
});
