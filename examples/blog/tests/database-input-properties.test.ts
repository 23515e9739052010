/**
 * Whatever a reader types reaches the database as data, never as SQL: arbitrary strings through the
 * subscribe form round-trip exactly (unicode included), and what PostgreSQL cannot store (control
 * characters such as NUL) is refused with a 400 that says why.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltApp } from './support/built-server.js';

type BlogServer = Awaited<ReturnType<Awaited<ReturnType<typeof loadBuiltApp>>['createBlogServer']>>;

const ENV = {
  NODE_ENV: 'production',
  DATABASE_DIR: 'memory://',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://blog.example.com',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
  RATE_LIMIT_ENABLED: 'false',
  // The test drives the server from its own event loop, which is then always busy: no shedding.
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
} as const;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

let server: BlogServer;
beforeAll(async () => {
  const app = await loadBuiltApp();
  server = await app.createBlogServer({ env: { ...ENV } });
}, 60_000);
afterAll(() => server?.close());

async function subscribe(name: string, email: string) {
  const csrf = await server.inject('/api/csrf');
  expect(csrf.statusCode, csrf.body).toBe(200);
  const cookie = String(csrf.headers['set-cookie']).split(';')[0]!;
  return server.inject({
    method: 'POST',
    url: '/subscribe',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      cookie,
      'x-csrf-token': csrf.json<{ token: string }>().token,
    },
    payload: JSON.stringify({ name, email }),
  });
}

async function storedName(email: string): Promise<string | undefined> {
  const result = (await server.database!.db.execute(
    sql`select name from subscribers where email = ${email}`,
  )) as unknown as { rows: { name: string }[] };
  return result.rows[0]?.name;
}

describe('subscriber names on the database', () => {
  it(
    'round-trip exactly, or are refused with 400 when they hold a control character',
    { timeout: 120_000 },
    async () => {
      let n = 0;
      const names = fc.oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        fc.constantFrom("'); drop table subscribers; --", '\\', "O'Brien", 'a\u0000b', '$1', '%s', '𝄞 ½ ﷽'),
      );
      await fc.assert(
        fc.asyncProperty(names, async (raw) => {
          const name = raw.trim();
          if (name.length === 0 || name.length > 80) return;
          const email = `reader-${n++}@example.com`;
          const response = await subscribe(raw, email);
          if (CONTROL.test(name)) {
            expect(response.statusCode).toBe(400);
            expect(response.body).toContain('control characters');
            expect(await storedName(email)).toBeUndefined();
          } else {
            expect(response.statusCode).toBe(201);
            expect(await storedName(email)).toBe(name);
          }
        }),
        { numRuns: 80 },
      );
      // The table is still there and counts exactly the accepted names.
      const count = (await server.database!.db.execute(sql`select count(*)::int as n from subscribers`)) as unknown as {
        rows: { n: number }[];
      };
      expect(count.rows[0]!.n).toBeGreaterThan(0);
    },
  );
});
