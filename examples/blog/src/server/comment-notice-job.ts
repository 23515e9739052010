import { Type } from '@sinclair/typebox';
import { defineJob } from '@composable-svelte/server/jobs';
import { sendCommentNotice, type CommentNoticeOptions } from './comment-notice.js';

export const COMMENT_NOTICE_JOB = 'comment-notice';

/** The batching window: at most one notice mail per post in this time. */
export const COMMENT_NOTICE_WINDOW_MS = 10 * 60_000;

/**
 * The post's notice mail, enqueued by the first comment of a window with `delayMs` = the window
 * and `singletonKey` = the post. The `short` policy keeps one queued job per post, so the comments
 * that follow within the window find it pending and are collected by it when it runs.
 */
export function commentNoticeJob(options: CommentNoticeOptions) {
  return defineJob(COMMENT_NOTICE_JOB, {
    /** `commentId`: the comment that scheduled it (the first of its batch when the post has had no notice). */
    payload: Type.Object({ postId: Type.Integer({ minimum: 1 }), commentId: Type.Integer({ minimum: 1 }) }),
    policy: 'short',
    retry: { limit: 5, backoff: 'exponential', delayMs: 30_000 },
    timeoutMs: 120_000,
    handler: (payload) => sendCommentNotice(payload, options),
  });
}
