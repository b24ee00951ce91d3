import { describe, expect, it } from 'vitest';
import { platformsSchema } from '../config/schema.ts';
import { isAuthError } from '../errors.ts';
import { createFakeHttp, fakeContext } from './fake-http.ts';
import { createAdapter, createAdapters } from './registry.ts';

describe('createAdapters', () => {
  it('creates all five adapters with configured base URLs and page sizes', () => {
    const platforms = platformsSchema.parse({
      bluesky: { baseUrl: 'http://127.0.0.1:9/bluesky' },
      hackernews: { pageSize: 10 },
    });

    const adapters = createAdapters(platforms, {});

    expect(Object.keys(adapters)).toEqual([
      'bluesky',
      'mastodon',
      'reddit',
      'youtube',
      'hackernews',
    ]);
    expect(adapters.bluesky.healthUrl()).toBe('http://127.0.0.1:9/bluesky/xrpc/_health');
    expect(Object.values(adapters).map((adapter) => adapter.batchSize)).toEqual([
      25, 20, 100, 50, 1,
    ]);
  });

  it('reads secrets from the env variables the config names', async () => {
    const platforms = platformsSchema.parse({
      youtube: { apiKeyEnv: 'MY_YT' },
      reddit: { clientIdEnv: 'RID', clientSecretEnv: 'RSEC' },
    });
    const http = createFakeHttp((call) =>
      call.method === 'POST'
        ? { body: { access_token: 't', expires_in: 3600 } }
        : { body: { items: [], data: { children: [], after: null } } },
    );
    const env = { MY_YT: 'key-1', RID: 'id', RSEC: 'secret' };

    await createAdapter('youtube', platforms.youtube, env).fetchPage(
      { platform: 'youtube', id: 'UCabcdefghijkl' },
      null,
      fakeContext(http),
    );
    await createAdapter('reddit', platforms.reddit, env).fetchPage(
      { platform: 'reddit', id: 'u/x' },
      null,
      fakeContext(http),
    );
    const error: unknown = await createAdapter('reddit', platforms.reddit, {})
      .fetchPage({ platform: 'reddit', id: 'u/x' }, null, fakeContext(http))
      .catch((caught: unknown) => caught);

    expect(http.calls[0]?.url.searchParams.get('key')).toBe('key-1');
    expect(http.calls[1]?.headers.authorization).toBe(
      `Basic ${Buffer.from('id:secret').toString('base64')}`,
    );
    expect(isAuthError(error)).toBe(true);
    expect((error as Error).message).toContain('RID and RSEC');
  });
});
