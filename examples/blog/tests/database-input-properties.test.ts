/**
 * Whatever a reader types reaches the database as data, never as SQL, on both database tiers:
 * arbitrary strings through the subscribe form and the comment form (JSON or the form without
 * JavaScript) round-trip exactly (unicode included), and what the rules refuse (control
 * characters such as NUL, which PostgreSQL cannot store; lengths out of range) is a 400 that
 * says why, with nothing stored.
 */
import { databaseTiers } from '@composable-svelte/testing';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comment } from '../src/shared/model.js';
import { loadBuiltApp } from './support/built-server.js';
import { csrfSession, signedInSession } from './support/sessions.js';
import { TEST_ENV } from './support/test-env.js';

type BlogServer = Awaited<ReturnType<Awaited<ReturnType<typeof loadBuiltApp>>['createBlogServer']>>;

const ENV = {
  ...TEST_ENV,
  NODE_ENV: 'production',
  RATE_LIMIT_ENABLED: 'false',
} as const;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const TRICKY = ["'); drop table comments; --", '\\', "O'Brien", 'a\u0000b', '$1', '%s', '𝄞 ½ ﷽', '<b>x</b>', '\u202e'];

describe.each(await databaseTiers())('reader input on the $name database', (tier) => {
  let server: BlogServer;
  let dispose: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const app = await loadBuiltApp();
    let env: Record<string, string> = { DATABASE_DIR: 'memory://' };
    if (tier.name === 'postgres') {
      const fresh = await tier.fresh();
      dispose = fresh.dispose;
      env = { DATABASE_URL: fresh.url! };
    }
    server = await app.createBlogServer({ env: { ...ENV, ...env } });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await dispose?.();
  });

  const session = () => csrfSession(server);

  /** Comments need an account: a reader whose name is itself tricky (quotes, SQL, astral characters). */
  const signedIn = (name: string) => signedInSession(server, { name, email: `reader-${tier.name}@example.org` });

  async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
    return ((await server.database!.db.execute(query)) as unknown as { rows: T[] }).rows;
  }

  it(
    'subscriber names round-trip exactly, or are refused with 400 when they hold a control character',
    { timeout: 120_000 },
    async () => {
      const { cookie, token } = await session();
      let n = 0;
      const names = fc.oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        fc.constantFrom(...TRICKY),
      );
      await fc.assert(
        fc.asyncProperty(names, async (raw) => {
          const name = raw.trim();
          if (name.length === 0 || name.length > 80) return;
          const email = `reader-${n++}@example.com`;
          const response = await server.inject({
            method: 'POST',
            url: '/subscribe',
            headers: { 'content-type': 'application/json', accept: 'application/json', cookie, 'x-csrf-token': token },
            payload: JSON.stringify({ name: raw, email }),
          });
          const stored = await rows<{ name: string }>(sql`select name from subscribers where email = ${email}`);
          if (CONTROL.test(name)) {
            expect(response.statusCode).toBe(400);
            expect(response.body).toContain('control characters');
            expect(stored).toEqual([]);
          } else {
            expect(response.statusCode).toBe(201);
            expect(stored).toEqual([{ name }]);
          }
        }),
        { numRuns: 60 },
      );
    },
  );

  it(
    "comment bodies (and the author, the reader's account name) round-trip exactly through POST and GET, or are refused with 400",
    { timeout: 120_000 },
    async () => {
      const name = "O'Brien'); drop table comments; -- 𝄞 ½";
      const { cookie, token } = await signedIn(name);
      const text = (maxLength: number) =>
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength }),
          fc.string({ unit: 'binary', maxLength }),
          fc.constantFrom(...TRICKY, '', '  ', 'line one\nline two\r\n\ttabbed'),
        );
      const author = fc.oneof(text(90), fc.constant('A'.repeat(81)));
      const body = fc.oneof(text(300), fc.constant(`${'b'.repeat(5000)} `), fc.constant('b'.repeat(5001)));
      await fc.assert(
        fc.asyncProperty(author, body, fc.boolean(), async (rawAuthor, rawBody, asForm) => {
          const before = await rows<{ n: number }>(sql`select count(*)::int as n from comments where post_id = 12`);
          const response = asForm
            ? await server.inject({
                method: 'POST',
                url: '/posts/12/comments',
                headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie },
                payload: new URLSearchParams({ author: rawAuthor, body: rawBody, _csrf: token }).toString(),
              })
            : await server.inject({
                method: 'POST',
                url: '/api/posts/12/comments',
                headers: {
                  'content-type': 'application/json',
                  accept: 'application/json',
                  cookie,
                  'x-csrf-token': token,
                },
                payload: JSON.stringify({ author: rawAuthor, body: rawBody }),
              });
          // The author typed is ignored: a comment is signed by the reader's account.
          const a = name;
          const b = rawBody.trim();
          const valid = b.length >= 1 && b.length <= 5000 && !CONTROL.test(b);
          if (!valid) {
            expect(response.statusCode).toBe(400);
            const after = await rows<{ n: number }>(sql`select count(*)::int as n from comments where post_id = 12`);
            expect(after).toEqual(before);
            return;
          }
          expect(response.statusCode, response.body).toBe(asForm ? 303 : 201);
          const id = asForm
            ? Number(/#comment-(\d+)$/.exec(String(response.headers.location))![1])
            : response.json<{ comment: Comment }>().comment.id;
          const listed = (await server.inject('/api/posts/12/comments')).json<{ comments: Comment[] }>().comments;
          expect(listed.find((comment) => comment.id === id)).toMatchObject({ author: a, body: b });
          expect(await rows(sql`select author, body from comments where id = ${id}`)).toEqual([{ author: a, body: b }]);
        }),
        { numRuns: 80 },
      );
      // Every stored comment is counted: the denormalized count never drifts from the rows.
      const [counts] = await rows<{ counted: number; stored: number }>(
        sql`select comment_count as counted, (select count(*)::int from comments where post_id = 12) as stored from posts where id = 12`,
      );
      expect(counts!.counted).toBe(counts!.stored);
    },
  );
});
