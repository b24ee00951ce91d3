/** Catchers for tests that assert on errors. */
import { expect } from 'vitest';
import { isConfigError } from '../../src/errors.ts';

/** The message of the ConfigError `body` throws, or 'accepted' when it throws nothing. */
export function refusal(body: () => unknown): string {
  try {
    body();
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    return (error as Error).message;
  }
  return 'accepted';
}

/** What `promise` rejects with; an Error saying so when it resolves instead. */
export async function caught(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error as Error,
  );
}
