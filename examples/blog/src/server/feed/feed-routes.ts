import type { FastifyInstance } from 'fastify';
import { FEED_PATH, type FeedStore } from './feed-store.js';

/** The page-cache tag of the stored feed: the rebuild job invalidates it. */
export const FEED_CACHE_TAG = 'feed';
const CACHE_KEY = `document:${FEED_PATH}`;

/**
 * `GET /feed.xml`: the stored feed, through the page cache when it is on (shared through Redis when
 * there is one). Readers and proxies may keep it five minutes and revalidate with its ETag (the
 * server's representation layer answers 304); the feed changes at most once an hour anyway.
 */
export function feedRoutes(feed: FeedStore) {
  return async (fastify: FastifyInstance) => {
    const produce = async () => ({
      status: 200,
      html: (await feed.current()).body,
      cacheable: true,
      tags: [FEED_CACHE_TAG],
    });
    const body = async (): Promise<string | Buffer> => {
      const cache = fastify.pageCache;
      if (!cache) return (await feed.current()).body;
      const hit = await cache.lookup(CACHE_KEY);
      if (hit?.state === 'stale') cache.refresh(CACHE_KEY, produce);
      if (hit) return hit.entry.body;
      return (await cache.render(CACHE_KEY, produce)).page.html;
    };

    fastify.get(FEED_PATH, { config: { cacheControl: 'public, max-age=300' } }, async (_request, reply) =>
      reply.type('application/rss+xml; charset=utf-8').send(await body()),
    );
  };
}
