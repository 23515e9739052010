import type { Db } from '@composable-svelte/server/db';
import { desc, eq } from 'drizzle-orm';
import { SITE_NAME } from '../../shared/head.js';
import en from '../../shared/i18n/en.js';
import { builtDocuments, posts, type BlogSchema } from '../db/schema.js';
import { renderRss } from './rss.js';

export const FEED_PATH = '/feed.xml';

export interface StoredFeed {
  readonly body: string;
  readonly builtAt: Date;
}

export interface FeedStore {
  /** Builds the feed from the latest posts and stores it (what the hourly job runs). */
  rebuild(): Promise<StoredFeed>;
  /** The stored feed, built and stored now if there is none yet. */
  current(): Promise<StoredFeed>;
}

export interface FeedStoreOptions {
  readonly db: () => Db<BlogSchema>;
  /** PUBLIC_URL's origin: the feed's links must be absolute, and right behind a proxy. */
  readonly origin: string;
  /** Posts in the feed, newest first; default 20. */
  readonly limit?: number;
  readonly now?: () => Date;
}

/** The RSS feed as a stored document: built by a job, served as stored by every instance. */
export function createFeedStore(options: FeedStoreOptions): FeedStore {
  const limit = options.limit ?? 20;
  const now = options.now ?? (() => new Date());

  async function rebuild(): Promise<StoredFeed> {
    const db = options.db();
    const latest = await db
      .select({
        id: posts.id,
        title: posts.title,
        author: posts.author,
        publishedAt: posts.publishedAt,
        excerpt: posts.excerpt,
        commentCount: posts.commentCount,
        coverUrl: posts.coverUrl,
      })
      .from(posts)
      .orderBy(desc(posts.publishedAt), desc(posts.id))
      .limit(limit);
    const builtAt = now();
    const body = renderRss(
      { title: SITE_NAME, description: en.siteDescription, origin: options.origin, path: FEED_PATH, builtAt },
      latest.map((post) => ({ ...post, publishedAt: post.publishedAt.toISOString() })),
    );
    await db
      .insert(builtDocuments)
      .values({ path: FEED_PATH, body, builtAt })
      .onConflictDoUpdate({ target: builtDocuments.path, set: { body, builtAt } });
    return { body, builtAt };
  }

  return {
    rebuild,
    async current() {
      const [stored] = await options
        .db()
        .select({ body: builtDocuments.body, builtAt: builtDocuments.builtAt })
        .from(builtDocuments)
        .where(eq(builtDocuments.path, FEED_PATH));
      return stored ?? rebuild();
    },
  };
}
