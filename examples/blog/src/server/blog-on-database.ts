import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '@composable-svelte/server';
import { providersFromConfig, type TokenServices } from '@composable-svelte/server/auth';
import { createServices, defineService } from '@composable-svelte/server/services';
import { localUploadStorage } from '@composable-svelte/server/uploads';
import type { BlogAccounts, BlogServerOptions } from './app.js';
import { accountRoutes } from './account-routes.js';
import { tokenAuth } from './token-auth.js';
import { accountRecovery } from './account-recovery.js';
import { apiKeyList, apiKeyRoutes } from './api-key-routes.js';
import { oauthSignIn } from './oauth-sign-in.js';
import { createAdminData } from './admin/admin-data.js';
import { adminRoutes } from './admin/admin-routes.js';
import { commentDeleteRoutes } from './comment-delete-routes.js';
import { createAccountDirectory } from './db/account-directory.js';
import { createCommentModeration } from './db/comment-moderation.js';
import { createDatabasePostsRepository } from './db/database-posts-repository.js';
import { createDatabaseSubscriptionsRepository } from './db/database-subscriptions-repository.js';
import { openBlogDatabase } from './db/open-blog-database.js';
import { MIGRATIONS } from './db/paths.js';
import { postWritingRoutes } from './post-writing-routes.js';
import { createBlogJobs, type BlogJobs, type BlogWork } from './blog-jobs.js';
import { createFeedStore } from './feed/feed-store.js';
import { FEED_CACHE_TAG, feedRoutes } from './feed/feed-routes.js';
import { commentBackground } from './comment-background.js';
import { emitCommentCreated, type BlogEvents } from './comment-events.js';
import { liveRoutes } from './live/live-routes.js';

const COVER_MAX_BYTES = 2 * 1024 * 1024;

type BlogJobLog = Pick<Console, 'warn' | 'error'>;

function notReady(): never {
  throw new Error('A blog job ran before the server was ready');
}

/**
 * What the blog has only on its database: the repositories on it, accounts and API tokens, jobs,
 * the feed, the admin pages, live comments and writing posts. createBlogServer imports this module
 * only then, so a blog on in-memory repositories starts without argon2, zxcvbn, jose, PGlite or
 * the job queue.
 */
export function blogOnDatabase(config: ServerConfig, options: BlogServerOptions) {
  let opened: Awaited<ReturnType<typeof openBlogDatabase>> | undefined;
  const db = () => {
    if (!opened) throw new Error('The blog database is not open yet');
    return opened.db;
  };
  // The outbox, once the routes have created it (before any request).
  let events: BlogEvents | undefined;
  const repository = createDatabasePostsRepository(db, {
    onCommentAdded: (tx, comment) => {
      if (!events) throw new Error('The comment events are not set up yet');
      return emitCommentCreated(events, tx, comment);
    },
  });
  const subscriptions = createDatabaseSubscriptionsRepository(db);
  // The token services, once the routes have registered them (before any request).
  let tokens: TokenServices | undefined;
  const providers = providersFromConfig(config);
  const moderation = createCommentModeration(db);
  const directory = createAccountDirectory(db);
  // The started jobs, for the admin jobs page; undefined until the jobs service has started.
  let runningJobs: BlogJobs | undefined;
  const accounts: BlogAccounts = {
    admin: createAdminData(moderation, directory, () => runningJobs),
    providers: providers.map(({ id, label }) => ({ id, label })),
    apiKeys: (viewer) => {
      if (!tokens) throw new Error('The token plugin is not registered yet');
      return apiKeyList(tokens, viewer);
    },
  };
  // Opened by createServer once its listener is built: a bad TLS file fails before a slow open.
  const database = async () => {
    opened = await openBlogDatabase(config, MIGRATIONS);
    return opened.database;
  };
  const feed = createFeedStore({ db, origin: new URL(config.publicUrl).origin });
  // Filled in by the routes; the job workers start once the server is ready, so never before.
  let work: BlogWork | undefined;
  let log: BlogJobLog = console;
  const services = createServices({
    jobs: defineService<BlogJobs>({
      start: async () => {
        const jobs = createBlogJobs({
          database: opened!.database,
          config,
          work: () => work ?? notReady(),
          logger: {
            warn: (object, message) => log.warn(object, message),
            error: (object, message) => log.error(object, message),
          },
          ...(options.mailRetry ? { mailRetry: options.mailRetry } : {}),
          extra: { definitions: options.jobs ?? [], schedules: options.schedules ?? [] },
        });
        await jobs.start();
        runningJobs = jobs;
        return jobs;
      },
      health: (jobs) => jobs.health(),
      drain: (jobs) => jobs.drain(),
      stop: (jobs, stopOptions) => jobs.stop(stopOptions),
    }),
  });

  return {
    repository,
    subscriptions,
    accounts,
    /** createServer's options for the database. The nightly purge job replaces each instance's hourly sweep of expired sign-ins. */
    server: { database, services, auth: { sweepExpired: false } },
    /** First and in the root context (not a child): its bearer challenge hook then covers every route below. */
    async tokenRoutes(fastify: FastifyInstance): Promise<void> {
      tokens = await tokenAuth(fastify);
    },
    async routes(fastify: FastifyInstance): Promise<void> {
      const jobs = fastify.services.get('jobs') as BlogJobs;
      const recovery = await accountRecovery(fastify, jobs);
      log = fastify.log;
      await fastify.register(feedRoutes(feed));
      if (config.jobs.workers) fastify.addHook('onReady', () => jobs.startWorkers());
      await fastify.register(accountRoutes, { recovery });
      await fastify.register(apiKeyRoutes);
      if (providers.length > 0) await oauthSignIn(fastify, providers);
      await fastify.register(commentDeleteRoutes(moderation));
      await fastify.register(adminRoutes, {
        moderation,
        accounts: directory,
        data: accounts.admin,
        jobs: () => runningJobs,
      });
      await liveRoutes(fastify, repository);
      const window = options.commentNoticeWindowMs;
      const background = await commentBackground(fastify, {
        db,
        jobs,
        ...(window === undefined ? {} : { noticeWindowMs: window }),
      });
      events = background.events;
      work = {
        deliverMail: (request) => recovery.deliverMail(request),
        rebuildFeed: async () => {
          await feed.rebuild();
          await fastify.pageCache?.invalidate({ tag: FEED_CACHE_TAG });
        },
        sendCommentNotice: (request) => background.sendNotice(request),
      };
    },
    async writingRoutes(fastify: FastifyInstance): Promise<void> {
      await fastify.register(
        postWritingRoutes(repository, {
          storage: localUploadStorage(options.covers?.directory ?? '.data/uploads'),
          coverMaxBytes: options.covers?.maxBytes ?? COVER_MAX_BYTES,
        }),
      );
    },
    /** After a failed start: the database, if it was opened. */
    close: async () => {
      await opened?.database.close();
    },
  };
}
