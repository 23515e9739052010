import type { Db } from '@composable-svelte/server/db';
import { count, sql } from 'drizzle-orm';
import { seedComments, seedPosts } from '../data/seed.js';
import { postContent } from '../post-content.js';
import { comments, posts, type BlogSchema } from './schema.js';

/**
 * Loads the example's posts and comments into an empty database (a first `npm start`); a database
 * that already has posts is left alone, so restarts keep what readers wrote.
 */
export async function seedBlogDatabase(db: Db<BlogSchema>): Promise<'seeded' | 'kept'> {
  return db.transaction(async (tx) => {
    // Two instances starting on one empty PostgreSQL must not both seed.
    await tx.execute(sql`lock table ${posts} in exclusive mode`);
    const [existing] = await tx.select({ n: count() }).from(posts);
    if (existing!.n > 0) return 'kept';
    const commentCounts = new Map<number, number>();
    for (const comment of seedComments) commentCounts.set(comment.postId, (commentCounts.get(comment.postId) ?? 0) + 1);
    await tx.insert(posts).values(
      seedPosts.map((post) => ({
        id: post.id,
        title: post.title,
        author: post.author,
        publishedAt: new Date(post.publishedAt),
        ...postContent(post),
        commentCount: commentCounts.get(post.id) ?? 0,
      })),
    );
    await tx
      .insert(comments)
      .values(seedComments.map((comment) => ({ ...comment, createdAt: new Date(comment.createdAt) })));
    // The seed chose its ids; identities continue after them.
    for (const table of ['posts', 'comments']) {
      await tx.execute(
        sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select coalesce(max(id), 1) from ${sql.identifier(table)}))`,
      );
    }
    return 'seeded';
  });
}
