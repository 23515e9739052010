import { Type, type Static } from '@sinclair/typebox';
import { defineJob } from '@composable-svelte/server/jobs';

export const COMMENT_NOTICE_JOB = 'comment-notice';

/** The batching window: at most one notice mail per post in this time. */
export const COMMENT_NOTICE_WINDOW_MS = 10 * 60_000;

/** `commentId`: the comment that scheduled it (the first of its batch when the post has had no notice). */
const CommentNoticePayload = Type.Object({
  postId: Type.Integer({ minimum: 1 }),
  commentId: Type.Integer({ minimum: 1 }),
});
export type CommentNoticeRequest = Static<typeof CommentNoticePayload>;

/**
 * The post's notice mail, enqueued by the first comment of a window with `delayMs` = the window
 * and `singletonKey` = the post. The `short` policy keeps one queued job per post, so the comments
 * that follow within the window find it pending and are collected by it when it runs.
 */
export function commentNoticeJob(send: (request: CommentNoticeRequest) => Promise<unknown>) {
  return defineJob(COMMENT_NOTICE_JOB, {
    payload: CommentNoticePayload,
    policy: 'short',
    retry: { limit: 5, backoff: 'exponential', delayMs: 30_000 },
    timeoutMs: 120_000,
    handler: (payload) => send(payload),
  });
}
