import type { FastifyInstance } from 'fastify';
import type { Db } from '@composable-svelte/server/db';
import { createEvents, eventsSettings } from '@composable-svelte/server/events';
import { createJobs, jobsSettings } from '@composable-svelte/server/jobs';
import { createMailer } from '@composable-svelte/server/mail';
import { blogEvents, onCommentCreated, type BlogEvents } from './comment-events.js';
import { COMMENT_NOTICE_JOB, COMMENT_NOTICE_WINDOW_MS, commentNoticeJob } from './comment-notice-job.js';
import { invalidatePostPages } from './post-pages.js';
import type { BlogSchema } from './db/schema.js';

export interface CommentBackgroundOptions {
  readonly db: () => Db<BlogSchema>;
  /** The batching window of notice mails (default {@link COMMENT_NOTICE_WINDOW_MS}). */
  readonly noticeWindowMs?: number;
}

/**
 * The work a committed comment sets going, off the request: the outbox (`comment.created`) and the
 * notice job, in the app's database. Registered after the live plugin, which its handlers publish
 * through; the outbox starts delivering once the server is ready (an event left by a crash is then
 * delivered with every handler in place), and both stop when it closes, before the database does.
 */
export async function commentBackground(
  fastify: FastifyInstance,
  options: CommentBackgroundOptions,
): Promise<BlogEvents> {
  const database = fastify.database;
  if (!database) throw new Error('commentBackground needs an open database');
  const config = fastify.config;
  const registry = fastify.hasDecorator('metrics') ? fastify.metrics.registry : undefined;
  const mailer = createMailer(config);
  const notice = commentNoticeJob({ db: options.db, mailer, publicUrl: config.publicUrl, log: fastify.log });
  const observed = { logger: fastify.log, ...(registry ? { registry } : {}) };
  const jobs = createJobs({ database, jobs: [notice], ...observed, ...jobsSettings(config) });
  const events = createEvents({ database, events: blogEvents, ...observed, ...eventsSettings(config) });
  const windowMs = options.noticeWindowMs ?? COMMENT_NOTICE_WINDOW_MS;
  onCommentCreated(events, {
    invalidatePages: (postId) => invalidatePostPages(fastify, postId),
    async publish(comment) {
      await fastify.live.publish(`post/${comment.postId}`, 'comment', comment);
    },
    async scheduleNotice({ postId, id }) {
      const singletonKey = `post:${postId}`;
      await jobs.enqueue(COMMENT_NOTICE_JOB, { postId, commentId: id }, { delayMs: windowMs, singletonKey });
    },
  });
  fastify.readiness.checks.set('jobs', () => jobs.health());
  fastify.readiness.checks.set('events', () => events.health());
  let starting: Promise<void> | undefined;
  fastify.addHook('onReady', async () => {
    // Not awaited: installing the queue's schema takes seconds on a new embedded database, longer
    // than a start-up hook may take on a busy machine; pages are served meanwhile, /ready says
    // "jobs" and "events" are down until they are up, and comments written before wait in the outbox.
    starting = (async () => {
      await jobs.start();
      await events.start();
    })().catch((error: unknown) => fastify.log.error({ err: error }, 'comment events and notices did not start'));
  });
  fastify.addHook('preClose', async () => {
    await starting;
    await events.drain();
    await jobs.drain();
  });
  fastify.addHook('onClose', async () => {
    await events.stop({ timeoutMs: 5000 });
    await jobs.stop({ timeoutMs: Math.max(1000, config.shutdownTimeoutMs - 1000) });
    mailer.close();
  });
  return events;
}
