/**
 * Helpers shared by the simulated platforms' routes.
 * @internal
 */
import type { PlatformName } from '../../platforms/types.ts';
import type { SimReply } from '../types.ts';
import type { SimAccount, World } from '../world.ts';

/** The account whose configured key or platform id is `id`, if any. */
export function findAccount(
  world: World,
  platform: PlatformName,
  id: string,
): SimAccount | undefined {
  return (
    world.byKey.get(`${platform}:${id}`) ??
    world.accounts.find((account) => account.platform === platform && account.platformId === id)
  );
}

/** A positive integer query parameter, its default when absent, or null when invalid. */
export function intParam(query: URLSearchParams, name: string, fallback: number): number | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);

  return Number.isInteger(value) && value > 0 ? value : null;
}

/** A JSON error reply. */
export function errorReply(route: string, status: number, body: unknown): SimReply {
  return { route, status, body };
}

/** ISO time of a millisecond timestamp. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A content-id looking string derived from an id, for fields nobody reads. */
export function fakeCid(id: string): string {
  let hash = 0;
  for (const char of id) hash = (Math.imul(hash, 31) + (char.codePointAt(0) ?? 0)) >>> 0;

  return `bafyrei${hash.toString(32).padStart(8, 'a')}${id.length.toString(32)}sim`;
}
