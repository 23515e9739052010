import type { FastifyInstance } from 'fastify';

/** Pages that show a post's comments or its comment count: the post, its comments, the list. */
export const postPageTags = (postId: number) => [`post:${postId}`, 'posts'];

/**
 * Drops those pages from the page cache. Called after the change committed and before the answer
 * leaves, so whoever got the answer never loads a page without the change.
 */
export async function invalidatePostPages(fastify: FastifyInstance, postId: number): Promise<void> {
  const cache = fastify.pageCache;
  if (cache) await Promise.all(postPageTags(postId).map((tag) => cache.invalidate({ tag })));
}
