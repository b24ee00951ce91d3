import { describe, expect, it } from 'vitest';
import { isCacheError } from '../errors.ts';
import { cacheSerializer } from './serializer.ts';

const roundTrip = (value: unknown): unknown =>
  cacheSerializer.deserialize(cacheSerializer.serialize(value));

describe('cacheSerializer', () => {
  it('brings back dates, big integers, NaN, infinities and -0 with their types', () => {
    const value = {
      at: new Date('2024-03-01T12:00:00.123Z'),
      invalid: new Date(Number.NaN),
      big: 2n ** 70n + 1n,
      negativeBig: -(2n ** 64n),
      nan: Number.NaN,
      up: Number.POSITIVE_INFINITY,
      down: Number.NEGATIVE_INFINITY,
      negativeZero: -0,
      missing: undefined,
      list: [1, undefined, null, 'x'],
    };

    const back = roundTrip(value) as typeof value;

    expect(back.at).toBeInstanceOf(Date);
    expect(back.at.toISOString()).toBe('2024-03-01T12:00:00.123Z');
    expect(Number.isNaN(back.invalid.getTime())).toBe(true);
    expect(back.big).toBe(2n ** 70n + 1n);
    expect(back.negativeBig).toBe(-(2n ** 64n));
    expect(Number.isNaN(back.nan)).toBe(true);
    expect(back.up).toBe(Number.POSITIVE_INFINITY);
    expect(back.down).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(back.negativeZero, -0)).toBe(true);
    expect('missing' in back).toBe(true);
    expect(back.list).toEqual([1, undefined, null, 'x']);
  });

  it('brings back maps, sets, typed arrays and shared references', () => {
    const shared = { id: 1 };
    const value = {
      byName: new Map<string, number>([['a', 1]]),
      tags: new Set(['x', 'y']),
      samples: new Float64Array([1.5, Number.NaN, Number.POSITIVE_INFINITY]),
      first: shared,
      second: shared,
    };

    const back = roundTrip(value) as typeof value;

    expect(back.byName).toEqual(new Map([['a', 1]]));
    expect(back.tags).toEqual(new Set(['x', 'y']));
    expect(back.samples).toBeInstanceOf(Float64Array);
    expect(Array.from(back.samples)).toEqual([1.5, Number.NaN, Number.POSITIVE_INFINITY]);
    expect(back.first).toBe(back.second);
  });

  it('keeps a Prometheus sample set whose values JSON would turn into null', () => {
    const scrape = {
      families: [
        {
          name: 'up',
          samples: [
            { labels: { le: '+Inf' }, value: Number.POSITIVE_INFINITY },
            { labels: {}, value: Number.NaN },
          ],
        },
      ],
    };

    const back = roundTrip(scrape) as typeof scrape;

    expect(JSON.parse(JSON.stringify(scrape)).families[0].samples[0].value).toBeNull();
    expect(back.families[0]?.samples.map((s) => s.value)).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NaN,
    ]);
  });

  it('names the path of a value it cannot keep', () => {
    class Connection {
      host = 'db';
    }
    let caught: unknown;
    try {
      cacheSerializer.serialize({ page: { client: new Connection() } });
    } catch (error) {
      caught = error;
    }

    expect(isCacheError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/^cache value at \.page\.client cannot be stored/);
  });

  it('refuses text it did not write', () => {
    expect(() => cacheSerializer.deserialize('{"value": 1')).toThrow(/not one this cache wrote/);
    expect(() => cacheSerializer.deserialize(12)).toThrow('cache entry is a number');
  });
});
