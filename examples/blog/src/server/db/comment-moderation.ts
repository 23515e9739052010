import { transaction, type Db } from '@composable-svelte/server/db';
import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { AdminComment } from '../../shared/admin.js';
import { comments, posts, type BlogSchema } from './schema.js';

type Tx = Parameters<Parameters<Db<BlogSchema>['transaction']>[0]>[0];

/** A comment as the delete and moderation checks need it. */
export interface CommentOwnership {
  readonly id: number;
  readonly postId: number;
  readonly userId: number | null;
}

/**
 * Deleting, hiding and showing comments, and the newest comments for moderation. Every change that alters
 * which comments a post shows changes its comment_count in the same transaction, after locking the
 * post's row first, as adding a comment does: changes to one post's comments count one after the
 * other, and two transactions never wait on each other's locks in opposite orders.
 */
export function createCommentModeration(database: () => Db<BlogSchema>) {
  const lockPost = (tx: Tx, postId: number) =>
    tx.select({ id: posts.id }).from(posts).where(eq(posts.id, postId)).for('update');
  const recount = (tx: Tx, postId: number, by: 1 | -1) =>
    tx
      .update(posts)
      .set({ commentCount: sql`${posts.commentCount} + ${by}` })
      .where(eq(posts.id, postId));

  /** Hides (`by` is the moderator) or shows again; undefined when the comment does not exist. */
  async function setHidden(commentId: number, by: number | null): Promise<{ postId: number } | undefined> {
    const [found] = await database()
      .select({ postId: comments.postId })
      .from(comments)
      .where(eq(comments.id, commentId));
    if (!found) return undefined;
    return transaction(database(), async (tx) => {
      await lockPost(tx, found.postId);
      const changed = await tx
        .update(comments)
        .set(by === null ? { hiddenAt: null, hiddenBy: null } : { hiddenAt: new Date(), hiddenBy: by })
        .where(and(eq(comments.id, commentId), by === null ? isNotNull(comments.hiddenAt) : isNull(comments.hiddenAt)))
        .returning({ id: comments.id });
      // Hiding a hidden comment (or showing a shown one) changes nothing, the count included.
      if (changed.length > 0) await recount(tx, found.postId, by === null ? 1 : -1);
      return { postId: found.postId };
    });
  }

  return {
    async find(postId: number, commentId: number): Promise<CommentOwnership | undefined> {
      const [row] = await database()
        .select({ id: comments.id, postId: comments.postId, userId: comments.userId })
        .from(comments)
        .where(and(eq(comments.id, commentId), eq(comments.postId, postId)));
      return row;
    },

    /** Removes the row (nothing of it is kept); false when it was already gone. */
    async delete(postId: number, commentId: number): Promise<boolean> {
      return transaction(database(), async (tx) => {
        await lockPost(tx, postId);
        const [deleted] = await tx
          .delete(comments)
          .where(and(eq(comments.id, commentId), eq(comments.postId, postId)))
          .returning({ hiddenAt: comments.hiddenAt });
        if (!deleted) return false;
        // A hidden comment was already out of the count.
        if (deleted.hiddenAt === null) await recount(tx, postId, -1);
        return true;
      });
    },

    hide: (commentId: number, moderatorId: number) => setHidden(commentId, moderatorId),
    show: (commentId: number) => setHidden(commentId, null),

    /** The newest comments across every post, hidden ones included. */
    async recent(limit: number): Promise<AdminComment[]> {
      const rows = await database()
        .select({
          id: comments.id,
          postId: comments.postId,
          postTitle: posts.title,
          author: comments.author,
          body: comments.body,
          createdAt: comments.createdAt,
          hiddenAt: comments.hiddenAt,
        })
        .from(comments)
        .innerJoin(posts, eq(posts.id, comments.postId))
        .orderBy(desc(comments.createdAt), desc(comments.id))
        .limit(limit);
      return rows.map(({ createdAt, hiddenAt, ...row }) => ({
        ...row,
        createdAt: createdAt.toISOString(),
        hidden: hiddenAt !== null,
      }));
    },
  };
}

export type CommentModeration = ReturnType<typeof createCommentModeration>;
