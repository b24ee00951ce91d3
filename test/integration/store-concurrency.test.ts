import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Post } from '../../src/platforms/types.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';

const FIXTURE = join(import.meta.dirname, 'store-concurrency.fixture.ts');
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-concurrency-'));
  dirs.push(dir);
  return join(dir, 'arms.sqlite');
}

/**
 * Starts one child per mode, waits until every one has opened the store, then releases them at
 * once, so their transactions really interleave rather than run one process after another.
 */
async function runTogether(path: string, modes: string[], count: number): Promise<void> {
  const children = modes.map((mode, worker) =>
    spawn(
      process.execPath,
      ['--import', 'tsx', FIXTURE, path, mode, String(worker), String(count)],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    ),
  );
  const said = (child: (typeof children)[number], word: string) =>
    new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes(`${word}\n`)) resolve();
      });
      child.once('exit', (code) =>
        out.includes(`${word}\n`)
          ? resolve()
          : reject(new Error(`child exited ${code} before "${word}"`)),
      );
    });

  await Promise.all(children.map((child) => said(child, 'ready')));
  const done = children.map((child) => said(child, 'done'));
  for (const child of children) child.stdin.end('go\n');
  await Promise.all(done);
}

describe('the SQLite store across processes', () => {
  it('loses no increment when 4 processes make 1,000 updates each to the same arms', async () => {
    const path = freshPath();
    openSqliteStore(path).close();

    await runTogether(path, ['increment', 'increment', 'decayed', 'decayed'], 1_000);

    const store = openSqliteStore(path);
    expect(store.loadArms()).toEqual([
      { arm: 'hook=question', successes: 4_000, failures: 0 },
      { arm: 'media=video', successes: 0, failures: 4_000 },
    ]);
    store.close();
  });

  it('counts each post once when 4 processes apply the same runs at once', async () => {
    const path = freshPath();
    const store = openSqliteStore(path);
    const at = '2024-05-01T00:00:00.000Z';
    const posts: Post[] = Array.from({ length: 100 }, (_, i) => ({
      platform: 'bluesky',
      postId: String(i),
      account: 'alice',
      url: null,
      createdAt: at,
      text: '',
      kind: 'original',
      mediaKind: 'none',
      hashtags: [],
      observedAt: at,
      counts: { views: null, likes: i, replies: null, reposts: null, quotes: null, score: null },
    }));
    store.upsertPosts(posts);
    // Ten runs score ten posts each; every third post is viral.
    store.saveScores(
      posts.map((post, i) => ({
        platform: 'bluesky',
        postId: post.postId,
        runId: `r${i % 10}`,
        engagement: i,
        zScore: 1,
        ratio: 1,
        isViral: i % 3 === 0,
        reason: '',
        arms: ['hook=question'],
      })),
    );
    store.close();

    await runTogether(path, ['apply', 'apply', 'apply', 'apply'], 250);

    const after = openSqliteStore(path);
    // 34 of the posts 0..99 are multiples of 3.
    expect(after.loadArms()).toEqual([{ arm: 'hook=question', successes: 34, failures: 66 }]);
    after.close();
  });
});
