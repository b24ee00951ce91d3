/** Builds adapters from the validated `platforms` config and an environment for secrets. */
import type { AppConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { createBlueskyAdapter } from './bluesky.ts';
import { createHackernewsAdapter } from './hackernews.ts';
import { createMastodonAdapter } from './mastodon.ts';
import { createRedditAdapter } from './reddit.ts';
import { createYoutubeAdapter } from './youtube.ts';
import { PLATFORM_NAMES } from './types.ts';
import type { PlatformAdapter, PlatformName } from './types.ts';

/** The `platforms` section of the validated config. */
export type PlatformsConfig = AppConfig['platforms'];

/** Environment variables, as `process.env` holds them. */
export type Env = Record<string, string | undefined>;

/**
 * Creates one platform's adapter. Secrets are read from `env` by the variable names the config
 * gives; missing secrets raise `AuthError` when the adapter first needs them, not here, so an
 * unused platform never blocks a run.
 */
export function createAdapter<N extends PlatformName>(
  name: N,
  platformConfig: PlatformsConfig[N],
  env: Env,
): PlatformAdapter {
  switch (name) {
    case 'bluesky':
      return createBlueskyAdapter(platformConfig);
    case 'mastodon':
      return createMastodonAdapter(platformConfig);
    case 'hackernews':
      return createHackernewsAdapter(platformConfig);
    case 'reddit': {
      const config = platformConfig as PlatformsConfig['reddit'];
      return createRedditAdapter({
        ...config,
        clientId: env[config.clientIdEnv],
        clientSecret: env[config.clientSecretEnv],
      });
    }
    case 'youtube': {
      const config = platformConfig as PlatformsConfig['youtube'];
      return createYoutubeAdapter({ ...config, apiKey: env[config.apiKeyEnv] });
    }
    default:
      throw new ConfigError(
        `unknown platform "${String(name)}": expected one of ${PLATFORM_NAMES.join(', ')}`,
      );
  }
}

/**
 * Creates every platform's adapter.
 * @example
 * const adapters = createAdapters(config.platforms, process.env);
 * const page = await adapters.reddit.fetchPage({ platform: 'reddit', id: 'r/askreddit' }, null, ctx);
 */
export function createAdapters(
  platforms: PlatformsConfig,
  env: Env,
): Record<PlatformName, PlatformAdapter> {
  const entries = PLATFORM_NAMES.map(
    (name) => [name, createAdapter(name, platforms[name], env)] as const,
  );

  return Object.fromEntries(entries) as Record<PlatformName, PlatformAdapter>;
}
