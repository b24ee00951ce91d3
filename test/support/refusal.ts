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
