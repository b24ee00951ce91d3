import { describe, expect, it } from 'vitest';
import { isAuthError, isHttpStatusError } from '../errors.ts';
import type { HttpStatusError } from '../errors.ts';
import { createFakeHttp, fakeContext } from './fake-http.ts';
import { hasData, readJson, SKIP_NOTE } from './test-data.ts';
import type { AccountSpec } from './types.ts';
import { createYoutubeAdapter, youtubePlaylistId } from './youtube.ts';

const API = 'youtube-python-youtube-testdata/testdata';
const channel: AccountSpec = { platform: 'youtube', id: 'UC_x5XG1OV2P6uZZ5FSM9Ttw' };

function video(
  id: string,
  statistics: Record<string, string> = { viewCount: '10', likeCount: '2', commentCount: '1' },
) {
  return {
    id,
    snippet: {
      publishedAt: '2025-01-01T00:00:00Z',
      title: `video ${id}`,
      description: '',
      channelId: 'UCx',
    },
    statistics,
  };
}

describe.skipIf(!hasData)(`youtube adapter on recorded bodies${SKIP_NOTE}`, () => {
  type VideoItem = { id: string; statistics: Record<string, string> };
  const template = () =>
    (readJson(`${API}/modeldata/videos/video_api_response.json`) as { items: VideoItem[] })
      .items[0]!;

  it('pages a real uploads playlist by nextPageToken with one videos call per page', async () => {
    const http = createFakeHttp((call) => {
      if (call.url.pathname.endsWith('/playlistItems')) {
        const token = call.url.searchParams.get('pageToken');
        return {
          body: readJson(
            `${API}/apidata/playlist_items/playlist_items_paged_${token === null ? 1 : 2}.json`,
          ),
        };
      }
      const ids = (call.url.searchParams.get('id') ?? '').split(',');
      const items = ids.map((id, index) => {
        const item = template();
        const statistics = { ...item.statistics };
        if (index === 1) delete statistics.likeCount;
        return { ...item, id, statistics };
      });
      return { body: { kind: 'youtube#videoListResponse', items } };
    });
    const adapter = createYoutubeAdapter({ apiKey: 'k' });

    const first = await adapter.fetchPage(channel, null, fakeContext(http));
    const second = await adapter.fetchPage(channel, first.next, fakeContext(http));

    expect(http.calls.map((call) => call.url.pathname + call.url.search)).toEqual([
      '/youtube/v3/playlistItems?part=snippet%2CcontentDetails&playlistId=UU_x5XG1OV2P6uZZ5FSM9Ttw&maxResults=50&key=k',
      '/youtube/v3/videos?part=snippet%2Cstatistics&id=CvTApw9X8aA%2CYh4EKaUY3gg%2CS-MbpQiwfls%2CBBjVl1EETb0%2Ch8CnO-oqqSs%2C2cHddIA4EvY%2CkTJUt9CmTXg%2Co7_oJYZw2Hg%2CvN6uK5Qm23c%2Co5LP2xzKkpg&key=k',
      '/youtube/v3/playlistItems?part=snippet%2CcontentDetails&playlistId=UU_x5XG1OV2P6uZZ5FSM9Ttw&maxResults=50&pageToken=CAoQAA&key=k',
      '/youtube/v3/videos?part=snippet%2Cstatistics&id=6aSG8SdvkoU%2CECGpZCFUL8s%2CFu2bldybpkA&key=k',
    ]);
    expect(first.posts).toHaveLength(10);
    expect(first.next).toBe('CAoQAA');
    expect(second.posts.map((post) => post.postId)).toEqual([
      '6aSG8SdvkoU',
      'ECGpZCFUL8s',
      'Fu2bldybpkA',
    ]);
    expect(second.next).toBeNull();
    expect(first.posts[0]).toMatchObject({
      postId: 'CvTApw9X8aA',
      account: 'UC_x5XG1OV2P6uZZ5FSM9Ttw',
      url: 'https://www.youtube.com/watch?v=CvTApw9X8aA',
      createdAt: '2019-03-21T20:37:49.000Z',
      kind: 'original',
      mediaKind: 'video',
      counts: { views: 7920, likes: 190, replies: 32, reposts: null, quotes: null, score: null },
    });
    expect(first.posts[1]?.counts).toEqual({
      views: 7920,
      likes: null,
      replies: 32,
      reposts: null,
      quotes: null,
      score: null,
    });
  });

  it('looks real videos up, with null counts where statistics are absent', async () => {
    const http = createFakeHttp((call) =>
      call.url.searchParams.get('id') === 'D-lhorsDlUQ'
        ? { body: readJson(`${API}/modeldata/videos/video_api_response.json`) }
        : { body: readJson(`${API}/apidata/videos/videos_info_multi.json`) },
    );
    const adapter = createYoutubeAdapter({ apiKey: 'k' });

    const [single] = await adapter.lookup(['D-lhorsDlUQ'], fakeContext(http));
    const multi = await adapter.lookup(['D-lhorsDlUQ', 'ovdbrdCIP7U'], fakeContext(http));

    expect(single).toMatchObject({
      postId: 'D-lhorsDlUQ',
      account: 'UC_x5XG1OV2P6uZZ5FSM9Ttw',
      counts: { views: 7920, likes: 190, replies: 32 },
    });
    expect(single?.text.startsWith('What are Actions on Google (Assistant on Air)')).toBe(true);
    expect(multi.map((post) => post.counts.views)).toEqual([null, null]);
  });

  it('passes a real non-quota error through unchanged', async () => {
    const http = createFakeHttp(() => ({
      status: 400,
      body: readJson(`${API}/error_response.json`),
    }));

    const error: unknown = await createYoutubeAdapter({ apiKey: 'k' })
      .fetchPage(channel, null, fakeContext(http))
      .catch((caught: unknown) => caught);

    expect(isHttpStatusError(error) && error.status).toBe(400);
  });
});

describe('youtube adapter', () => {
  it('turns a 403 quotaExceeded body into a non-retryable quota error', async () => {
    // Google's real quota body: the reason sits past the first 300 characters.
    const message =
      'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.';
    const body = {
      error: {
        code: 403,
        message,
        errors: [{ message, domain: 'youtube.quota', reason: 'quotaExceeded' }],
      },
    };
    const http = createFakeHttp(() => ({ status: 403, body }));

    const error = (await createYoutubeAdapter({ apiKey: 'k' })
      .fetchPage(channel, null, fakeContext(http))
      .catch((caught: unknown) => caught)) as HttpStatusError;

    expect(isHttpStatusError(error)).toBe(true);
    expect(error.status).toBe(403);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('youtube quota exceeded (quotaExceeded) on /playlistItems');
  });

  it('fails the page when the videos call fails', async () => {
    const http = createFakeHttp((call) =>
      call.url.pathname.endsWith('/playlistItems')
        ? { body: { items: [{ contentDetails: { videoId: 'a' } }] } }
        : { status: 500, body: { error: { code: 500 } } },
    );

    await expect(
      createYoutubeAdapter({ apiKey: 'k' }).fetchPage(channel, null, fakeContext(http)),
    ).rejects.toThrow('youtube /videos answered 500');
  });

  it('raises AuthError naming the variable when the key is missing', async () => {
    const http = createFakeHttp(() => undefined);

    const error: unknown = await createYoutubeAdapter({ apiKeyEnv: 'YT_KEY' })
      .fetchPage(channel, null, fakeContext(http))
      .catch((caught: unknown) => caught);

    expect(isAuthError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'youtube API key missing: set the environment variable YT_KEY',
    );
    expect(http.calls).toHaveLength(0);
  });

  it('looks videos up 50 per request and skips ids the API omits', async () => {
    const ids = Array.from({ length: 120 }, (_, index) => `v${index}`);
    const http = createFakeHttp((call) => ({
      body: {
        items: (call.url.searchParams.get('id') ?? '')
          .split(',')
          .filter((id) => id !== 'v7')
          .map((id) => video(id)),
      },
    }));

    const posts = await createYoutubeAdapter({ apiKey: 'k' }).lookup(ids, fakeContext(http));

    expect(http.calls.map((call) => call.url.searchParams.get('id')?.split(',').length)).toEqual([
      50, 50, 20,
    ]);
    expect(posts).toHaveLength(119);
    expect(posts[0]?.counts).toEqual({
      views: 10,
      likes: 2,
      replies: 1,
      reposts: null,
      quotes: null,
      score: null,
    });
  });

  it('fails a page whose item lacks a video id, naming the item', async () => {
    const http = createFakeHttp(() => ({
      body: { items: [{ contentDetails: { videoId: 'a' } }, { snippet: {} }] },
    }));

    await expect(
      createYoutubeAdapter({ apiKey: 'k' }).fetchPage(channel, null, fakeContext(http)),
    ).rejects.toThrow(
      'youtube UC_x5XG1OV2P6uZZ5FSM9Ttw page (/youtube/v3/playlistItems): expected items[1].contentDetails.videoId to be a non-empty string, got undefined',
    );
  });

  it('chooses the uploads playlist, an explicit playlist, or rejects other ids', () => {
    expect(youtubePlaylistId(channel)).toBe('UU_x5XG1OV2P6uZZ5FSM9Ttw');
    expect(youtubePlaylistId({ ...channel, options: { playlist: 'PLabc' } })).toBe('PLabc');
    expect(() => youtubePlaylistId({ ...channel, id: 'GoogleDevelopers' })).toThrow(
      'youtube account "GoogleDevelopers": expected a channel id starting with "UC" (or options.playlist)',
    );
  });
});
