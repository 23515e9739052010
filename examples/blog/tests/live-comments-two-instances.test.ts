/**
 * Live comments across two blog instances on one PostgreSQL and one Redis: a reader connected to
 * one instance gets a comment posted through the other within a second, presence on a post is the
 * union of both instances' readers (a signed-in reader once, however many tabs), a comment whose
 * transaction rolls back is never published, and the admins get one notice mail per post per
 * window, holding every comment of it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePostgresTier, requireRedis, eventually } from '@composable-svelte/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comment } from '../src/shared/model.js';
import { startTwoBlogInstances, type TwoBlogInstances } from './support/blog-two-instances.js';
import type { BlogServer } from './support/form-browser.js';
import { openLiveSocket, presenceKeys, type LiveSocket } from './support/live-socket.js';
import { signedInSession } from './support/sessions.js';

const postgres = await requirePostgresTier();
const redisUrl = await requireRedis();
const ORIGIN = 'https://blog.example.com';
const NOTICE_WINDOW_MS = 3000;

describe.skipIf(!postgres || !redisUrl)('live comments on two instances', () => {
  let a: BlogServer;
  let b: BlogServer;
  let instances: TwoBlogInstances | undefined;
  const sockets: LiveSocket[] = [];
  const mailDir = mkdtempSync(join(tmpdir(), 'blog-live-mail-'));

  const liveUrl = (server: BlogServer) => `ws://127.0.0.1:${(server.server.address() as { port: number }).port}/live`;
  async function open(server: BlogServer, cookie?: string): Promise<LiveSocket> {
    const socket = await openLiveSocket(liveUrl(server), { origin: ORIGIN, ...(cookie ? { cookie } : {}) });
    sockets.push(socket);
    return socket;
  }

  beforeAll(async () => {
    instances = await startTwoBlogInstances(
      postgres!,
      redisUrl!,
      'live-comments',
      { PUBLIC_URL: ORIGIN, MAIL_DIR: mailDir, JOBS_POLL_INTERVAL_MS: '500' },
      { commentNoticeWindowMs: NOTICE_WINDOW_MS },
    );
    ({ a, b } = instances);
    // One after the other: the first installs the job queue's schema (two installing it at the
    // same moment race in PostgreSQL's catalog; see docs/blog-live.md).
    const ready = (server: BlogServer) => async () => (await server.inject('/ready')).statusCode === 200;
    await a.listen({ host: '127.0.0.1', port: 0 });
    expect(await eventually(ready(a), 30_000, 100)).toBe(true);
    await b.listen({ host: '127.0.0.1', port: 0 });
    expect(await eventually(ready(b), 30_000, 100)).toBe(true);
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await instances?.close();
    rmSync(mailDir, { recursive: true, force: true });
  });

  let readers = 0;
  const account = () => ({ name: `Reader ${++readers}`, email: `reader-${readers}@example.org` });

  async function post(server: BlogServer, session: { cookie: string; token: string }, postId: number, body: string) {
    return server.inject({
      method: 'POST',
      url: `/api/posts/${postId}/comments`,
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.token },
      payload: JSON.stringify({ body }),
    });
  }

  async function comment(server: BlogServer, postId: number, body: string): Promise<Comment> {
    const response = await post(server, await signedInSession(server, account()), postId, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ comment: Comment }>().comment;
  }

  const commentEvent = (frame: Record<string, unknown>) => frame.type === 'event' && frame.event === 'comment';

  it('a reader on A (signed out) gets the comment posted through B within a second', async () => {
    const reader = await open(a);
    expect(await reader.join('post/5')).toMatchObject({ ok: true });
    const written = await comment(b, 5, 'Posted through B');
    const event = await reader.next(commentEvent, 1000);
    expect(event).toMatchObject({ topic: 'post/5', data: written });
  });

  it('presence is the union of both instances: each anonymous socket once, a signed-in reader once for all tabs', async () => {
    const session = await signedInSession(b, account());
    const tabOnA = await open(a, session.cookie);
    const tabOnB = await open(b, session.cookie);
    const anonymous = await open(a);
    for (const socket of [tabOnA, tabOnB, anonymous]) expect(await socket.join('post/6')).toMatchObject({ ok: true });
    for (const socket of [tabOnA, tabOnB, anonymous]) {
      const union = () => {
        const keys = presenceKeys(socket.frames, 'post/6');
        return (
          keys.length === 2 &&
          keys.some((key) => key.startsWith('anon:')) &&
          keys.some((key) => key.startsWith('user:'))
        );
      };
      expect(await eventually(union, 2000), JSON.stringify(presenceKeys(socket.frames, 'post/6'))).toBe(true);
    }
    anonymous.close();
    expect(await eventually(() => presenceKeys(tabOnB.frames, 'post/6').length === 1, 2000)).toBe(true);
  });

  it('a comment whose transaction rolls back is never published', async () => {
    // Fails the commit itself (a deferred constraint trigger), after the comment and its event were written.
    await a.database!.db.execute(
      sql.raw(`
      create function refuse_marked_comment() returns trigger language plpgsql as $$
      begin
        if new.body = 'roll me back' then raise exception 'refused at commit'; end if;
        return null;
      end $$;
      create constraint trigger refuse_marked_comment after insert on comments
        deferrable initially deferred for each row execute function refuse_marked_comment();`),
    );
    const reader = await open(b);
    expect(await reader.join('post/8')).toMatchObject({ ok: true });
    const session = await signedInSession(a, account());
    const refused = await post(a, session, 8, 'roll me back');
    expect(refused.statusCode).toBeGreaterThanOrEqual(500);
    const kept = await post(a, session, 8, 'kept');
    expect(kept.statusCode, kept.body).toBe(201);
    // Events of a post go out in order: the first one this reader gets is the comment that committed.
    expect(await reader.next(commentEvent, 2000)).toMatchObject({ data: { body: 'kept' } });
    expect(JSON.stringify(reader.frames)).not.toContain('roll me back');
    const pending = await a.database!.db.execute(
      sql`select count(*)::int as n from outbox_events where payload->'comment'->>'body' = 'roll me back'`,
    );
    expect((pending as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  });

  it('the admins get one notice mail per post per window, with every comment of it', async () => {
    const admin = account();
    await signedInSession(a, admin);
    await a.database!.db.execute(sql`update auth_users set roles = '{admin}' where email = ${admin.email}`);
    const bodies = ['First of three', 'Second of three', 'Third of three'];
    const [onA, onB] = [await signedInSession(a, account()), await signedInSession(b, account())];
    // Well within one window: the first comment's notice is pending when the others come.
    for (const [server, session, body] of [
      [a, onA, bodies[0]!],
      [b, onB, bodies[1]!],
      [a, onB, bodies[2]!],
    ] as const) {
      expect((await post(server, session, 9, body)).statusCode).toBe(201);
    }

    const noticesOfPost9 = () =>
      readdirSync(mailDir)
        .filter((name) => name.endsWith('.json'))
        .map(
          (name) =>
            JSON.parse(readFileSync(join(mailDir, name), 'utf8')) as { to: string; subject: string; text: string },
        )
        .filter((mail) => mail.to === admin.email && mail.text.includes('/posts/9/comments'));
    expect(await eventually(() => noticesOfPost9().length > 0, 15_000, 200)).toBe(true);
    const [notice] = noticesOfPost9();
    expect(notice!.subject).toMatch(/^3 new comments on “/);
    for (const body of bodies) expect(notice!.text).toContain(body);
    // Nothing else is pending for the post, so no second mail follows for these comments.
    const queued = await a.database!.db.execute(
      sql`select count(*)::int as n from pgboss.job where name = 'comment-notice' and singleton_key = 'post:9' and state < 'completed'`,
    );
    expect((queued as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
    expect(noticesOfPost9()).toHaveLength(1);
  }, 30_000);
});
