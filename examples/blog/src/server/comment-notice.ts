import type { Db } from '@composable-svelte/server/db';
import type { Mailer } from '@composable-svelte/server/mail';
import { users } from '@composable-svelte/server/auth';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { commentNotices, comments, posts, type BlogSchema } from './db/schema.js';

export interface CommentNoticeOptions {
  readonly db: () => Db<BlogSchema>;
  readonly mailer: Mailer;
  /** Links in the mail point here (PUBLIC_URL). */
  readonly publicUrl: string;
  readonly log: { info(object: object, message: string): void };
}

/** Who hears about a post's new comments. */
async function recipients(db: Db<BlogSchema>, authorId: number | null): Promise<{ email: string; name: string }[]> {
  const query = db.select({ email: users.email, name: users.name }).from(users);
  // A post written by an account tells its author; the seed's essays, which have none, tell the admins.
  if (authorId !== null) return query.where(eq(users.id, authorId));
  return query.where(sql`'admin' = any(${users.roles})`).orderBy(asc(users.id));
}

/**
 * One mail per recipient for every comment on the post since the previous notice (the batch; for
 * a post's first notice, since the comment that scheduled it), then records the last comment it
 * covered. Sent before that record, so a crash in between sends the batch again rather than never:
 * at least once, like every job.
 */
export async function sendCommentNotice(
  { postId, commentId }: { postId: number; commentId: number },
  options: CommentNoticeOptions,
): Promise<number> {
  const db = options.db();
  const [post] = await db
    .select({ id: posts.id, title: posts.title, authorId: posts.authorId })
    .from(posts)
    .where(eq(posts.id, postId));
  if (!post) return 0;
  const [last] = await db
    .select({ lastCommentId: commentNotices.lastCommentId })
    .from(commentNotices)
    .where(eq(commentNotices.postId, postId));
  const batch = await db
    .select()
    .from(comments)
    .where(and(eq(comments.postId, postId), gt(comments.id, last?.lastCommentId ?? commentId - 1)))
    .orderBy(asc(comments.id));
  if (batch.length === 0) return 0;
  const to = await recipients(db, post.authorId);
  if (to.length === 0) {
    options.log.info(
      { postId, comments: batch.length },
      'comment notice skipped: nobody to tell (no author account, no admin)',
    );
  }
  const link = new URL(`/posts/${postId}/comments`, options.publicUrl).href;
  const count = batch.length === 1 ? '1 new comment' : `${batch.length} new comments`;
  const listed = batch.map((comment) => `${comment.author} wrote:\n${comment.body}\n`).join('\n');
  for (const recipient of to) {
    await options.mailer.send({
      to: recipient.email,
      subject: `${count} on “${post.title}”`,
      text: `Hello ${recipient.name},\n\n${count} on “${post.title}”:\n\n${listed}\nRead them: ${link}\n`,
    });
  }
  const lastCommentId = batch.at(-1)!.id;
  await db
    .insert(commentNotices)
    .values({ postId, lastCommentId })
    .onConflictDoUpdate({ target: commentNotices.postId, set: { lastCommentId, notifiedAt: sql`now()` } });
  return to.length;
}
