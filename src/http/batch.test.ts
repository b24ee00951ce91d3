import { describe, expect, it } from 'vitest';

import { mapBounded } from './batch.ts';

describe('mapBounded', () => {
  it('keeps input order and each item outcome', async () => {
    const results = await mapBounded([30, 10, 20, 0], 2, async (ms, index) => {
      await new Promise((resolve) => setTimeout(resolve, ms / 10));
      if (index === 2) throw new Error('item 2 failed');
      return ms * 2;
    });

    expect(results).toEqual([
      { ok: true, value: 60 },
      { ok: true, value: 20 },
      { ok: false, error: new Error('item 2 failed') },
      { ok: true, value: 0 },
    ]);
  });

  it('never runs more than the bound at once', async () => {
    let running = 0;
    let peak = 0;
    await mapBounded(
      Array.from({ length: 12 }, (_, i) => i),
      3,
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running -= 1;
      },
    );

    expect(peak).toBe(3);
  });

  it('starts no new item once the signal aborts', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const results = await mapBounded(
      [0, 1, 2, 3, 4],
      1,
      (item) => {
        started.push(item);
        if (item === 1) controller.abort(new Error('stop'));
        return Promise.resolve(item);
      },
      controller.signal,
    );

    expect(started).toEqual([0, 1]);
    expect(results.map((result) => result.ok)).toEqual([true, true, false, false, false]);
    expect(results[2]).toEqual({ ok: false, error: new Error('stop') });
  });

  it('returns an empty array for no items', async () => {
    expect(await mapBounded([], 4, () => Promise.resolve(1))).toEqual([]);
  });

  it('rejects a concurrency below 1', async () => {
    await expect(mapBounded([1], 0, () => Promise.resolve(1))).rejects.toThrow(
      'mapBounded concurrency must be a positive integer, got 0',
    );
  });
});
