/**
 * Wraps bentocache's Redis driver to count what the shared tier answers: a value (hit), nothing
 * (miss) or a failure (error). Counting at the driver sees each Redis lookup exactly once, where
 * bentocache's own events would not tell a Redis miss from a Redis error.
 * @internal
 */
import type { CreateDriverResult, L2CacheDriver } from 'bentocache/types';

/** Counts of one tier; mutated in place. */
export interface DriverCounts {
  hits: number;
  misses: number;
  errors: number;
}

/** Called on each failed and each successful Redis operation. */
export interface DriverHooks {
  onError(error: unknown): void;
  onSuccess(): void;
  /** After each lookup that Redis answered, with whether it held the key. */
  onGet?(isHit: boolean): void;
}

/** @internal Wraps a driver factory so that every driver it makes counts into `counts`. */
export function countingDriver(
  inner: CreateDriverResult<L2CacheDriver>,
  counts: DriverCounts,
  hooks: DriverHooks,
): CreateDriverResult<L2CacheDriver> {
  return {
    options: inner.options,
    factory: (config: unknown) => wrap(inner.factory(config), counts, hooks),
  };
}

function wrap(driver: L2CacheDriver, counts: DriverCounts, hooks: DriverHooks): L2CacheDriver {
  const watch = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      const result = await operation();
      hooks.onSuccess();
      return result;
    } catch (error) {
      counts.errors += 1;
      hooks.onError(error);
      throw error;
    }
  };

  return new Proxy(driver, {
    get(target, property, receiver) {
      if (property === 'get') {
        return async (key: string) => {
          const value = await watch(() => target.get(key));
          if (value === undefined) counts.misses += 1;
          else counts.hits += 1;
          hooks.onGet?.(value !== undefined);
          return value;
        };
      }
      if (property === 'set' || property === 'delete' || property === 'deleteMany') {
        const method = Reflect.get(target, property) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => watch(() => method.apply(target, args));
      }
      if (property === 'namespace') {
        return (name: string) => wrap(target.namespace(name) as L2CacheDriver, counts, hooks);
      }

      const value: unknown = Reflect.get(target, property, receiver);
      // Methods run on the driver itself: its private fields are not reachable through a proxy.
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}
