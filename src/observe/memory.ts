/** Peak memory of one task, by sampling the resident set size while it runs. */

/** A running peak-RSS sampler. */
export interface PeakRssTracker {
  /** Stops sampling (taking one last sample) and returns the peak resident set size, bytes. */
  stop(): number;
}

/**
 * Samples `process.memoryUsage.rss()` every `intervalMs` until `stop()`.
 *
 * `process.resourceUsage().maxRSS` is not used: it is the peak of the whole process lifetime, so
 * it cannot tell one task's peak from an earlier task's. The sampling timer is unref'd and never
 * keeps the process alive.
 *
 * @param intervalMs Time between samples, milliseconds. Default: 25.
 * @example
 * const memory = trackPeakRss();
 * await work();
 * const peakRssBytes = memory.stop();
 */
export function trackPeakRss(intervalMs = 25): PeakRssTracker {
  let peak = process.memoryUsage.rss();
  let isStopped = false;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();

  return {
    stop(): number {
      if (!isStopped) {
        isStopped = true;
        clearInterval(timer);
        peak = Math.max(peak, process.memoryUsage.rss());
      }
      return peak;
    },
  };
}
