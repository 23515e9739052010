/**
 * The blog's background jobs, on both tiers: sign-up answers while the mail server is down (the
 * verification mail is a job), and the mail arrives once the server is back; two instances share
 * one set of cron schedules (the nightly auth purge, the hourly feed rebuild).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  databaseTiers,
  eventually,
  freeLoopbackPort,
  requirePostgresTier,
  startSmtpResponder,
  type Tier,
} from '@composable-svelte/testing';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlogJobs } from '../src/server/blog-jobs.js';
import { loadBuiltApp } from './support/built-server.js';
import { signedInSession } from './support/sessions.js';
import { TEST_ENV } from './support/test-env.js';

const PUBLIC_URL = TEST_ENV.PUBLIC_URL;
const BASE_ENV = { ...TEST_ENV, NODE_ENV: 'production', RATE_LIMIT_ENABLED: 'false' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function databaseEnv(tier: Tier): Promise<Record<string, string>> {
  if (tier.name === 'postgres') {
    const fresh = await tier.fresh();
    cleanups.push(fresh.dispose);
    return { DATABASE_URL: fresh.url! };
  }
  const dir = mkdtempSync(join(tmpdir(), 'cs-blog-jobs-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { DATABASE_DIR: join(dir, 'db') };
}

describe.each(await databaseTiers())('account mail through a job on $name', (tier) => {
  it('sign-up answers while SMTP is down; the mail arrives once it is back', { timeout: 60_000 }, async () => {
    const port = await freeLoopbackPort();
    const app = await loadBuiltApp();
    const server = await app.createBlogServer({
      env: { ...BASE_ENV, SMTP_URL: `smtp://127.0.0.1:${port}`, ...(await databaseEnv(tier)) },
      mailRetry: { limit: 5, backoff: 'fixed', delayMs: 1000 },
    });
    cleanups.push(() => server.close());
    const attempts = async () => {
      const result = await server.database!.db.execute(
        sql`select state, retry_count from pgboss.job where name = 'auth.recovery-mail'`,
      );
      return (result as unknown as { rows: { state: string; retry_count: number }[] }).rows;
    };

    const { cookie } = await signedInSession(server, { name: 'Grace', email: 'grace@example.org' });
    expect(cookie).toContain('__Host-session=');
    // The answer came first; the job then fails against the closed port and waits for its retry.
    expect(await eventually(async () => (await attempts())[0]?.state === 'retry', 15_000)).toBe(true);

    const smtp = await startSmtpResponder({ port });
    cleanups.push(() => smtp.close());
    expect(await eventually(() => smtp.received.length === 1, 20_000)).toBe(true);
    expect(smtp.received[0]!.to).toEqual(['grace@example.org']);
    const text = smtp.received[0]!.data.replace(/=\r\n/g, '').replace(/=3D/g, '=');
    const link = new RegExp(`${PUBLIC_URL}(/verify-email\\?token=[\\w-]{43})\\b`).exec(text)?.[1];
    expect(link).toBeDefined();
    const verified = await server.inject({ url: link!, headers: { accept: 'application/json' } });
    expect(verified.statusCode, verified.body).toBe(200);
    const [job] = await attempts();
    expect(job).toMatchObject({ state: 'completed' });
    expect(job!.retry_count).toBeGreaterThan(0);
  });
});

const postgres = await requirePostgresTier();

describe.skipIf(!postgres)('cron schedules with two instances', () => {
  it('are registered once, however many instances start', { timeout: 60_000 }, async () => {
    const fresh = await postgres!.fresh();
    cleanups.push(fresh.dispose);
    const app = await loadBuiltApp();
    const env = { ...BASE_ENV, DATABASE_URL: fresh.url! };
    const a = await app.createBlogServer({ env });
    cleanups.push(() => a.close());
    const b = await app.createBlogServer({ env });
    cleanups.push(() => b.close());
    for (const server of [a, b]) {
      const schedules = await (server.services.get('jobs') as BlogJobs).schedules();
      expect(
        schedules.map(({ job, cron, tz }) => ({ job, cron, tz })).sort((x, y) => x.job.localeCompare(y.job)),
      ).toEqual([
        { job: 'auth.purge-expired', cron: '0 3 * * *', tz: 'UTC' },
        { job: 'feed.rebuild', cron: '0 * * * *', tz: 'UTC' },
      ]);
    }
    const { rows } = (await fresh.database.db.execute(
      sql`select name from pgboss.schedule order by name`,
    )) as unknown as {
      rows: { name: string }[];
    };
    expect(rows.map((row) => row.name)).toEqual(['auth.purge-expired', 'feed.rebuild']);
  });
});
