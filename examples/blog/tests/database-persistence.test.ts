/**
 * The production blog keeps what readers write: a subscription and a comment made over HTTP are
 * still there after the process restarts, on the embedded database (a directory) and on PostgreSQL
 * alike, and so is the post's comment count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@composable-svelte/server/db';
import { databaseTiers, type Tier } from '@composable-svelte/testing';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Comment, Post } from '../src/shared/model.js';
import { builtEntry, killChildrenAfterEach, startChild, type Child } from './support/ops-child.js';

killChildrenAfterEach();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function subscribe(child: Child, name: string, email: string): Promise<number> {
  const csrf = await fetch(`${child.origin}/api/csrf`);
  const cookie = String(csrf.headers.get('set-cookie')).split(';')[0]!;
  const { token } = (await csrf.json()) as { token: string };
  const response = await fetch(`${child.origin}/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', cookie, 'x-csrf-token': token },
    body: JSON.stringify({ name, email }),
  });
  await response.body?.cancel();
  return response.status;
}

let readers = 0;

/** Comments need an account: sign up (a new one each time), keeping the CSRF and session cookies. */
async function comment(child: Child, postId: number, body: string): Promise<Comment> {
  const csrf = await fetch(`${child.origin}/api/csrf`);
  const csrfCookie = String(csrf.headers.get('set-cookie')).split(';')[0]!;
  const { token } = (await csrf.json()) as { token: string };
  const signup = await fetch(`${child.origin}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({
      name: 'Ada',
      email: `ada-${++readers}-${Date.now()}@example.org`,
      password: 'quiet-harbour-lantern-58',
      _csrf: token,
    }).toString(),
  });
  await signup.body?.cancel();
  expect(signup.status).toBe(303);
  const session = signup.headers
    .getSetCookie()
    .find((line) => /^(__Host-)?session=/.test(line))!
    .split(';')[0]!;
  const response = await fetch(`${child.origin}/api/posts/${postId}/comments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      cookie: `${csrfCookie}; ${session}`,
      'x-csrf-token': token,
    },
    body: JSON.stringify({ body }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { comment: Comment }).comment;
}

async function getJson<T>(child: Child, path: string): Promise<T> {
  const response = await fetch(`${child.origin}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** Where a test's database lives: a directory on the embedded tier, a fresh database on PostgreSQL. */
async function databaseEnv(tier: Tier): Promise<Record<string, string>> {
  if (tier.name === 'postgres') {
    const fresh = await tier.fresh();
    cleanups.push(fresh.dispose);
    return { DATABASE_URL: fresh.url! };
  }
  const dir = mkdtempSync(join(tmpdir(), 'cs-blog-db-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { DATABASE_DIR: join(dir, 'db') };
}

async function run(env: Record<string, string>, work: (child: Child) => Promise<void>) {
  const child = await startChild({ script: builtEntry, env });
  await work(child);
  child.kill('SIGTERM');
  expect(await child.exited(15_000)).toEqual({ code: 0, signal: null });
}

describe.each(await databaseTiers())('the blog on the $name database', (tier) => {
  it('keeps a subscription across a restart, and still one per address', { timeout: 90_000 }, async () => {
    let env: Record<string, string>;
    let count: () => Promise<number>;
    if (tier.name === 'postgres') {
      const fresh = await tier.fresh();
      cleanups.push(fresh.dispose);
      env = { DATABASE_URL: fresh.url! };
      count = async () => {
        const result = (await fresh.database.db.execute(
          sql`select count(*)::int as n from subscribers`,
        )) as unknown as {
          rows: { n: number }[];
        };
        return result.rows[0]!.n;
      };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'cs-blog-db-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      env = { DATABASE_DIR: join(dir, 'db') };
      count = async () => {
        const database = await openDatabase({ dataDir: join(dir, 'db') });
        try {
          const result = (await database.db.execute(sql`select count(*)::int as n from subscribers`)) as unknown as {
            rows: { n: number }[];
          };
          return result.rows[0]!.n;
        } finally {
          await database.close();
        }
      };
    }
    await run(env, async (child) => {
      expect(await subscribe(child, 'Ada', 'ada@example.com')).toBe(201);
    });
    await run(env, async (child) => {
      // The same answer as a new address (no enumeration), and no second row.
      expect(await subscribe(child, 'Ada', 'ADA@example.com')).toBe(201);
      expect(await subscribe(child, 'Grace', 'grace@example.com')).toBe(201);
    });
    expect(await count()).toBe(2);
  });

  it('keeps a comment and the post’s comment count across a restart', { timeout: 90_000 }, async () => {
    const env = await databaseEnv(tier);
    let written: Comment | undefined;
    let counted = 0;
    await run(env, async (child) => {
      written = await comment(child, 4, 'Still here after a restart?\nYes.');
      counted = (await getJson<{ post: Post }>(child, '/api/posts/4')).post.commentCount;
    });
    await run(env, async (child) => {
      const { comments } = await getJson<{ comments: Comment[] }>(child, '/api/posts/4/comments');
      expect(comments.at(-1)).toEqual(written);
      expect((await getJson<{ post: Post }>(child, '/api/posts/4')).post.commentCount).toBe(counted);
      // Ids continue after the kept rows.
      expect((await comment(child, 4, 'And another.')).id).toBeGreaterThan(written!.id);
    });
  });
});
