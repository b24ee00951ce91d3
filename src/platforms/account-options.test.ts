import { describe, expect, it } from 'vitest';
import { accountIssues, listingKey, parseRedditId, playlistOfId } from './account-options.ts';

describe('parseRedditId', () => {
  it.each([
    ['r/rust', true, 'rust'],
    ['/R/Rust/', true, 'Rust'],
    ['u/spez', false, 'spez'],
    ['user/spez', false, 'spez'],
    ['spez', false, 'spez'],
  ])('reads %j', (id, isSubreddit, name) => {
    expect(parseRedditId(id)).toEqual({ isSubreddit, name });
  });
});

describe('playlistOfId', () => {
  it('maps a channel to its uploads, keeps playlists, and knows no names', () => {
    expect(playlistOfId('UC_x5XG1OV2P6uZZ5FSM9Ttw')).toBe('UU_x5XG1OV2P6uZZ5FSM9Ttw');
    expect(playlistOfId('UU_x5XG1OV2P6uZZ5FSM9Ttw')).toBe('UU_x5XG1OV2P6uZZ5FSM9Ttw');
    expect(playlistOfId('PLOU2XLYxmsIKC8eODk_RNCWv3fBcLvMMy')).toBe(
      'PLOU2XLYxmsIKC8eODk_RNCWv3fBcLvMMy',
    );
    expect(playlistOfId('GoogleDevelopers')).toBeNull();
  });
});

describe('accountIssues', () => {
  it('checks each account against its own platform, however many share a schema', () => {
    const user = { platform: 'reddit' as const, id: 'u/spez', options: { listing: 'hot' } };
    const subreddit = { platform: 'reddit' as const, id: 'r/rust', options: { listing: 'hot' } };

    expect(accountIssues(subreddit)).toEqual([]);
    expect(accountIssues(user).map((issue) => issue.path)).toEqual([['options', 'listing']]);
    expect(accountIssues(subreddit)).toEqual([]);
  });

  it('sees one listing in a channel and its uploads playlist', () => {
    expect(listingKey({ platform: 'youtube', id: 'UC_x5XG1OV2P6uZZ5FSM9Ttw' })).toBe(
      listingKey({ platform: 'youtube', id: 'UU_x5XG1OV2P6uZZ5FSM9Ttw' }),
    );
  });
});
