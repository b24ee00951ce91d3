/**
 * The serializer of the cache's shared tier. bentocache writes JSON by default, which turns a
 * Date into a string, NaN and Infinity into null, and throws on a BigInt; a Prometheus scrape is
 * full of NaN and +Inf. devalue keeps those types (and -0, Map, Set, typed arrays, undefined,
 * repeated references) while staying a JSON text that Redis stores as a plain string.
 */
import { parse, stringify } from 'devalue';
import { CacheError } from '../errors.ts';

/** The contract bentocache expects of a serializer. */
export interface CacheSerializer {
  serialize(value: unknown): string;
  deserialize(text: unknown): unknown;
}

/**
 * Serializes plain data so that it comes back with the types it went in with: objects, arrays,
 * strings, booleans, numbers (NaN, +-Infinity and -0 included), BigInt, Date (invalid ones too),
 * Map, Set, RegExp, typed arrays, `undefined` and `null`.
 *
 * @throws CacheError naming the path of a value it cannot keep (a class instance, a function, a
 *   symbol), or when a stored text is not one it wrote.
 * @example
 * const text = cacheSerializer.serialize({ at: new Date(), big: 2n ** 70n, v: NaN });
 * const back = cacheSerializer.deserialize(text); // same types
 */
export const cacheSerializer: CacheSerializer = {
  serialize(value: unknown): string {
    try {
      return stringify(value);
    } catch (cause) {
      const path = (cause as { path?: unknown }).path;
      const where = typeof path === 'string' && path !== '' ? ` at ${path}` : '';
      throw new CacheError(
        `cache value${where} cannot be stored in the shared tier: ${describe(cause)}; ` +
          'expected plain data (objects, arrays, numbers, strings, Date, BigInt, Map, Set, typed arrays)',
        { cause, details: { path: typeof path === 'string' ? path : null } },
      );
    }
  },
  deserialize(text: unknown): unknown {
    if (typeof text !== 'string') {
      throw new CacheError(`cache entry is a ${typeof text}; expected the text the cache wrote`);
    }
    try {
      return parse(text);
    } catch (cause) {
      throw new CacheError(
        `cache entry of ${text.length} characters is not one this cache wrote: ${describe(cause)}`,
        { cause },
      );
    }
  },
};

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
