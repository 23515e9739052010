import { Type } from '@sinclair/typebox';
import {
  AUTH_PURGE_CRON,
  AUTH_PURGE_JOB,
  authPurgeJob,
  recoveryMailJob,
  type RecoveryMailRequest,
} from '@composable-svelte/server/auth';
import type { ServerConfig } from '@composable-svelte/server';
import type { Database } from '@composable-svelte/server/db';
import {
  createJobs,
  defineJob,
  jobsSettings,
  schedule,
  type JobDefinition,
  type JobSchedule,
  type RetryPolicy,
} from '@composable-svelte/server/jobs';

import { commentNoticeJob, type CommentNoticeRequest } from './comment-notice-job.js';

export const FEED_REBUILD_JOB = 'feed.rebuild';
/** At the top of every hour. */
export const FEED_REBUILD_CRON = '0 * * * *';

/**
 * What the jobs do, given once the routes have built it (the account recovery, the feed store). The workers start only when the server is ready, so no job runs before.
 */
export interface BlogWork {
  deliverMail(request: RecoveryMailRequest): Promise<unknown>;
  rebuildFeed(): Promise<unknown>;
  sendCommentNotice(request: CommentNoticeRequest): Promise<unknown>;
}

export interface BlogJobsOptions {
  readonly database: Database<Record<string, unknown>>;
  readonly config: ServerConfig;
  readonly work: () => BlogWork;
  readonly logger: { warn(object: object, message: string): void; error(object: object, message: string): void };
  /** How account mail is retried while the mail server is down; default recoveryMailJob's (about 2 hours). */
  readonly mailRetry?: RetryPolicy;
  /** Jobs run besides the blog's own (a test's job); the admin jobs page lists them with the rest. */
  readonly extra?: { readonly definitions: readonly JobDefinition[]; readonly schedules: readonly JobSchedule[] };
}

/**
 * The blog's background jobs, in its own database: account mail (verification, reset) sent with
 * retries, the nightly purge of expired sign-ins and links, the hourly RSS rebuild and the batched
 * mail that tells a post's author about new comments. Cron ticks
 * run once across every instance. Created with `workers: false`: `startWorkers()` once ready.
 */
export function createBlogJobs(options: BlogJobsOptions) {
  const { database, config, work } = options;
  const rebuildFeed = defineJob(FEED_REBUILD_JOB, {
    payload: Type.Object({}, { additionalProperties: false }),
    retry: { limit: 3, backoff: 'exponential', delayMs: 30_000 },
    timeoutMs: 60_000,
    handler: () => work().rebuildFeed(),
  });
  return createJobs({
    database,
    jobs: [
      recoveryMailJob({
        deliver: (request) => work().deliverMail(request),
        ...(options.mailRetry ? { retry: options.mailRetry } : {}),
      }),
      authPurgeJob({ db: database.db }),
      rebuildFeed,
      commentNoticeJob((request) => work().sendCommentNotice(request)),
      ...(options.extra?.definitions ?? []),
    ],
    schedules: [
      schedule(AUTH_PURGE_CRON, AUTH_PURGE_JOB),
      schedule(FEED_REBUILD_CRON, FEED_REBUILD_JOB),
      ...(options.extra?.schedules ?? []),
    ],
    ...jobsSettings(config),
    workers: false,
    logger: options.logger,
  });
}

export type BlogJobs = ReturnType<typeof createBlogJobs>;
