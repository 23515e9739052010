import type { FastifyInstance } from 'fastify';
import type { Db } from '@composable-svelte/server/db';
import { createEvents, eventsSettings } from '@composable-svelte/server/events';
import { createMailer } from '@composable-svelte/server/mail';
import { blogEvents, onCommentCreated, type BlogEvents } from './comment-events.js';
import type { BlogJobs } from './blog-jobs.js';
import { sendCommentNotice } from './comment-notice.js';
import { COMMENT_NOTICE_JOB, COMMENT_NOTICE_WINDOW_MS, type CommentNoticeRequest } from './comment-notice-job.js';
import { invalidatePostPages } from './post-pages.js';
import type { BlogSchema } from './db/schema.js';

export interface CommentBackgroundOptions {
  readonly db: () => Db<BlogSchema>;
  /** The blog's jobs service, which runs the notice job (with `sendNotice` as its work). */
  readonly jobs: BlogJobs;
  /** The batching window of notice mails (default {@link COMMENT_NOTICE_WINDOW_MS}). */
  readonly noticeWindowMs?: number;
}

export interface CommentBackground {
  readonly events: BlogEvents;
  /** The notice job's work: mails the post's author about the comments of its batch. */
  sendNotice(request: CommentNoticeRequest): Promise<number>;
}

/**
 * The work a committed comment sets going, off the request: the outbox (`comment.created`), whose
 * handler enqueues the notice job on the blog's jobs service. Registered after the live plugin,
 * which its handlers publish through; the outbox starts delivering once the server is ready (an
 * event left by a crash is then delivered with every handler in place) and stops when it closes,
 * before the database does.
 */
export async function commentBackground(
  fastify: FastifyInstance,
  options: CommentBackgroundOptions,
): Promise<CommentBackground> {
  const database = fastify.database;
  if (!database) throw new Error('commentBackground needs an open database');
  const config = fastify.config;
  const registry = fastify.hasDecorator('metrics') ? fastify.metrics.registry : undefined;
  const mailer = createMailer(config);
  const observed = { logger: fastify.log, ...(registry ? { registry } : {}) };
  const events = createEvents({ database, events: blogEvents, ...observed, ...eventsSettings(config) });
  const windowMs = options.noticeWindowMs ?? COMMENT_NOTICE_WINDOW_MS;
  onCommentCreated(events, {
    invalidatePages: (postId) => invalidatePostPages(fastify, postId),
    async publish(comment) {
      await fastify.live.publish(`post/${comment.postId}`, 'comment', comment);
    },
    async scheduleNotice({ postId, id }) {
      const singletonKey = `post:${postId}`;
      await options.jobs.enqueue(COMMENT_NOTICE_JOB, { postId, commentId: id }, { delayMs: windowMs, singletonKey });
    },
  });
  fastify.readiness.checks.set('events', () => events.health());
  let starting: Promise<void> | undefined;
  fastify.addHook('onReady', async () => {
    // Not awaited: a start-up hook must stay short on a busy machine; pages are served meanwhile,
    // /ready says "events" is down until it is up, and comments written before wait in the outbox.
    starting = events
      .start()
      .catch((error: unknown) => fastify.log.error({ err: error }, 'comment events did not start'));
  });
  fastify.addHook('preClose', async () => {
    await starting;
    await events.drain();
  });
  fastify.addHook('onClose', async () => {
    await events.stop({ timeoutMs: 5000 });
    mailer.close();
  });
  return {
    events,
    sendNotice: (request) =>
      sendCommentNotice(request, { db: options.db, mailer, publicUrl: config.publicUrl, log: fastify.log }),
  };
}
