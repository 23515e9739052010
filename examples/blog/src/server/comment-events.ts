import { Type } from '@sinclair/typebox';
import type { Events } from '@composable-svelte/server/events';
import type { Comment } from '../shared/model.js';

/** The blog's outbox events: a comment, as the API answers it, once its transaction has committed. */
export const blogEvents = {
  'comment.created': Type.Object({
    comment: Type.Object({
      id: Type.Integer(),
      postId: Type.Integer(),
      author: Type.String(),
      body: Type.String(),
      createdAt: Type.String(),
    }),
  }),
};

export type BlogEvents = Events<typeof blogEvents>;

/** What a committed comment sets going, each an idempotent step (delivery is at least once). */
export interface CommentCreatedSteps {
  /** Drops the cached pages that show the post's comments or its count. */
  invalidatePages(postId: number): Promise<void>;
  /** Sends the comment to the readers of the post's live channel (they deduplicate by id). */
  publish(comment: Comment): Promise<void>;
  /** Makes sure a notice mail for the post is pending (one per post per batching window). */
  scheduleNotice(comment: Comment): Promise<void>;
}

/**
 * The `comment.created` handlers, in this order: pages first, so a reader the live event makes
 * reload gets a page with the comment; then the live event; then the notice. Each is its own
 * named handler, so a retry runs only the steps that failed.
 */
export function onCommentCreated(events: BlogEvents, steps: CommentCreatedSteps): void {
  events.on('comment.created', 'page-cache', ({ comment }) => steps.invalidatePages(comment.postId));
  events.on('comment.created', 'live', ({ comment }) => steps.publish(comment));
  events.on('comment.created', 'notice', ({ comment }) => steps.scheduleNotice(comment));
}

/** Emits inside the comment's transaction; keyed by post, so a post's comments go out in order. */
export function emitCommentCreated(
  events: BlogEvents,
  tx: Parameters<BlogEvents['emit']>[0],
  comment: Comment,
): Promise<void> {
  return events.emit(tx, 'comment.created', { comment }, { key: `post:${comment.postId}` });
}
