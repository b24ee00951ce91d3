/**
 * The import half of a bench child: the store and the post generator, nothing else, so the
 * import's floor is what a process that streams posts into SQLite has to load.
 * @internal
 */
import { openSqliteStore } from '../store/index.ts';
import { importPosts } from './import.ts';
import { maxRssBytes } from './rss.ts';
import type { ChildResult, ImportJob } from './types.ts';

/** Streams the job's posts into a new store; `loadedRssBytes` is the peak once modules loaded. */
export function runImport(job: ImportJob, loadedRssBytes: number): ChildResult {
  const store = openSqliteStore(job.storePath);
  try {
    const figures = importPosts(store, {
      posts: job.posts,
      pageSize: job.pageSize,
      seed: job.seed,
      nowMs: Date.parse('2026-01-05T12:00:00Z'),
    });
    const peakRssBytes = maxRssBytes();
    return {
      kind: 'import',
      peakRssBytes,
      loadedRssBytes,
      import: { ...figures, storedPosts: store.countPosts() },
    };
  } finally {
    store.close();
  }
}
