/**
 * /admin/jobs shows the blog's queues, the jobs that used up their retries with their error, and
 * the schedules with their next run; its retry button sends a failed job back to its queue. The
 * failing job is the test's own, given to the blog through the framework's jobs API.
 */
import { Type } from '@sinclair/typebox';
import { defineJob, schedule } from '@composable-svelte/server/jobs';
import { databaseTiers, eventually } from '@composable-svelte/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminJobs } from '../src/shared/admin.js';
import { adminBrowser } from './support/admin-session.js';
import { startBlogOnTier, type BlogOnTier } from './support/blog-on-tier.js';
import type { BlogServer, FormBrowser } from './support/form-browser.js';
import { TEST_ENV } from './support/test-env.js';

const ENV = {
  ...TEST_ENV,
  NODE_ENV: 'test',
  RATE_LIMIT_ENABLED: 'false',
  JOBS_POLL_INTERVAL_MS: '500',
} as const;

describe.each(await databaseTiers())('/admin/jobs on the $name database', (tier) => {
  let server: BlogServer;
  let blog: BlogOnTier | undefined;
  let admin: FormBrowser;
  let runs = 0;
  // Fails its first run, with no retry left: a dead letter at once; the admin's retry then succeeds.
  const flaky = defineJob('test-flaky-mail', {
    payload: Type.Object({ to: Type.String() }),
    retry: { limit: 0 },
    handler: async () => {
      if (++runs === 1) throw new Error('mail server said 451: try again later');
    },
  });
  const nightly = defineJob('test-nightly', { payload: Type.Object({}), handler: async () => undefined });

  beforeAll(async () => {
    blog = await startBlogOnTier(tier, ENV, {
      jobs: [flaky, nightly],
      schedules: [schedule('0 3 * * *', 'test-nightly', { tz: 'Europe/Paris' })],
    });
    server = blog.server;
    admin = await adminBrowser(server);
  }, 60_000);
  afterAll(() => blog?.close());

  const jobsJson = async () =>
    (
      await server.inject({
        url: '/api/admin/jobs',
        headers: { accept: 'application/json', cookie: admin.cookieHeader() },
      })
    ).json<AdminJobs>();

  it('lists a failed job with its error; retry re-queues it and it runs again', { timeout: 30_000 }, async () => {
    await server.services.get('jobs').enqueue('test-flaky-mail', { to: 'ada@example.org' });
    expect(await eventually(async () => (await jobsJson()).deadLetters.length === 1, 15_000, 200)).toBe(true);
    const jobs = await jobsJson();
    expect(jobs.enabled).toBe(true);
    // The test's queues beside the blog's own (account mail, purge, feed, comment notices).
    expect(jobs.queues.map((queue) => queue.queue)).toEqual(
      expect.arrayContaining(['test-flaky-mail', 'test-nightly']),
    );
    const [letter] = jobs.deadLetters;
    expect(letter).toMatchObject({
      queue: 'test-flaky-mail',
      error: 'mail server said 451: try again later',
      attempts: 1,
    });
    const nightly = jobs.schedules.find((entry) => entry.job === 'test-nightly');
    expect(nightly).toEqual({
      job: 'test-nightly',
      cron: '0 3 * * *',
      tz: 'Europe/Paris',
      nextRunAt: expect.any(String),
    });
    expect(Date.parse(nightly!.nextRunAt!)).toBeGreaterThan(Date.now());

    const page = await admin.get('/admin/jobs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body).toContain('mail server said 451: try again later');
    expect(page.body).toContain('0 3 * * *');
    expect(page.body).toContain(`name="id" value="${letter!.id}"`);

    const retried = await admin.post('/admin/jobs/test-flaky-mail/retry', { id: letter!.id });
    expect(retried.statusCode).toBe(303);
    expect(retried.headers.location).toBe('/admin/jobs');
    expect(await eventually(() => runs === 2, 10_000, 100)).toBe(true);
    expect((await jobsJson()).deadLetters).toEqual([]);
    expect((await admin.get('/admin/jobs')).body).toContain('No job has used up its retries.');
    // Retried once: the same id again finds nothing to retry.
    expect((await admin.post('/admin/jobs/test-flaky-mail/retry', { id: letter!.id })).statusCode).toBe(404);
  });

  it('refuses an unknown queue (404), a malformed id (400), a missing CSRF token (403) and non-admins', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await admin.post('/admin/jobs/no-such-queue/retry', { id })).statusCode).toBe(404);
    expect((await admin.post('/admin/jobs/test-flaky-mail/retry', { id: 'x; drop table' })).statusCode).toBe(400);
    const noToken = await server.inject({
      method: 'POST',
      url: '/admin/jobs/test-flaky-mail/retry',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin.cookieHeader() },
      payload: new URLSearchParams({ id }).toString(),
    });
    expect(noToken.statusCode).toBe(403);
    const anonymous = await server.inject({ url: '/api/admin/jobs', headers: { accept: 'application/json' } });
    expect(anonymous.statusCode).toBe(401);
  });
});
