/**
 * Comments are deleted by their authors and moderated by admins, on both database tiers: the JSON
 * API (204/401/403/404), the forms without JavaScript (303 back), comment_count kept right in the
 * same transaction, cached pages invalidated after the change, hidden comments kept for the
 * moderation page but off the post, and the `/admin` pages for admins only (private, no-store).
 */
import { databaseTiers } from '@composable-svelte/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminComment } from '../src/shared/admin.js';
import type { Comment, Post, PostSummary } from '../src/shared/model.js';
import { adminBrowser, newEmail, rows, viewerId } from './support/admin-session.js';
import { startBlogOnTier, type BlogOnTier } from './support/blog-on-tier.js';
import { signUpBrowser, type BlogServer, type FormBrowser } from './support/form-browser.js';
import { csrfSession } from './support/sessions.js';
import { TEST_ENV } from './support/test-env.js';

const ENV = {
  ...TEST_ENV,
  // Not production: pages carry the x-cache debug header the cache checks read.
  NODE_ENV: 'test',
  RATE_LIMIT_ENABLED: 'false',
  AUTH_LOGIN_IP_MAX: '1000',
} as const;

/** A comment posted through the form by the browser's account; its id from the redirect. */
async function comment(browser: FormBrowser, postId: number, body: string): Promise<number> {
  await browser.get(`/posts/${postId}/comments?write=1`);
  const posted = await browser.post(`/posts/${postId}/comments`, { body });
  expect(posted.statusCode, posted.body).toBe(303);
  return Number(/#comment-(\d+)$/.exec(String(posted.headers.location))![1]);
}

function deleteJson(server: BlogServer, postId: number, commentId: number | string, auth: FormBrowser | null) {
  return server.inject({
    method: 'DELETE',
    url: `/api/posts/${postId}/comments/${commentId}`,
    headers: {
      accept: 'application/json',
      ...(auth ? { cookie: auth.cookieHeader(), 'x-csrf-token': auth.token } : {}),
    },
  });
}

async function commentsOf(server: BlogServer, postId: number): Promise<Comment[]> {
  return (await server.inject(`/api/posts/${postId}/comments`)).json<{ comments: Comment[] }>().comments;
}

/** The post's comment_count as the post and the list show it, and the comments it really shows. */
async function counts(server: BlogServer, postId: number) {
  const post = (await server.inject(`/api/posts/${postId}`)).json<{ post: Post }>().post;
  const list = (await server.inject('/api/posts')).json<{ posts: PostSummary[] }>().posts;
  const shown = (await commentsOf(server, postId)).length;
  return { post: post.commentCount, list: list.find((entry) => entry.id === postId)!.commentCount, shown };
}

describe.each(await databaseTiers())('comment deletion and moderation on the $name database', (tier) => {
  let server: BlogServer;
  let blog: BlogOnTier | undefined;
  let ada: FormBrowser;
  let bob: FormBrowser;
  let admin: FormBrowser;

  beforeAll(async () => {
    blog = await startBlogOnTier(tier, ENV);
    server = blog.server;
    [ada, bob, admin] = await Promise.all([
      signUpBrowser(server, { name: 'Ada', email: newEmail('ada') }),
      signUpBrowser(server, { name: 'Bob', email: newEmail('bob') }),
      adminBrowser(server),
    ]);
  }, 60_000);
  afterAll(() => blog?.close());

  it('an author deletes their own comment (204): gone, counted out, and no cached page still shows it', async () => {
    const id = await comment(ada, 3, 'A thought I take back');
    const before = await counts(server, 3);
    // Anonymous readers' copies of the pages are in the cache, with the comment.
    for (const path of ['/posts/3/comments', '/posts/3/comments']) {
      expect((await server.inject({ url: path, headers: { accept: 'text/html' } })).body).toContain(
        'A thought I take back',
      );
    }
    expect(
      (await server.inject({ url: '/posts/3/comments', headers: { accept: 'text/html' } })).headers['x-cache'],
    ).toBe('HIT');

    const deleted = await deleteJson(server, 3, id, ada);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(deleted.body).toBe('');

    expect((await commentsOf(server, 3)).map((c) => c.id)).not.toContain(id);
    expect(await counts(server, 3)).toEqual({ post: before.post - 1, list: before.list - 1, shown: before.shown - 1 });
    const page = await server.inject({ url: '/posts/3/comments', headers: { accept: 'text/html' } });
    expect(page.headers['x-cache']).not.toBe('HIT');
    expect(page.body).not.toContain('A thought I take back');
    // Deleted means gone: the row itself, not only its display.
    expect(await rows(server, sql`select id from comments where id = ${id}`)).toEqual([]);
    expect((await deleteJson(server, 3, id, ada)).statusCode).toBe(404);
  });

  it("someone else's comment is refused (403) and stays; signed out is 401 (API) or the sign-in page (form)", async () => {
    const id = await comment(ada, 4, 'Mine, not Bob’s');
    const before = await counts(server, 4);
    const refused = await deleteJson(server, 4, id, bob);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: { message: string } }>().error.message).toBe('You can only delete your own comments.');

    const { cookie, token } = await csrfSession(server);
    const anonymous = await server.inject({
      method: 'DELETE',
      url: `/api/posts/4/comments/${id}`,
      headers: { accept: 'application/json', cookie, 'x-csrf-token': token },
    });
    expect(anonymous.statusCode).toBe(401);
    const form = await server.inject({
      method: 'POST',
      url: `/posts/4/comments/${id}/delete`,
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        cookie,
        referer: 'https://blog.example.com/posts/4/comments',
      },
      payload: new URLSearchParams({ _csrf: token }).toString(),
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe(`/login?next=${encodeURIComponent('/posts/4/comments')}`);
    // Bob's form gets the 403 page, not a redirect.
    await bob.get('/posts/4/comments');
    const bobsForm = await bob.post(`/posts/4/comments/${id}/delete`, {});
    expect(bobsForm.statusCode).toBe(403);
    expect(bobsForm.headers['content-type']).toMatch(/text\/html/);

    expect(await counts(server, 4)).toEqual(before);
    expect((await commentsOf(server, 4)).map((c) => c.id)).toContain(id);
  });

  it('the comments page offers the author a delete button that works without JavaScript (303 back)', async () => {
    const id = await comment(ada, 5, 'Posted by mistake');
    const own = await ada.get('/posts/5/comments');
    expect(own.headers['cache-control']).toBe('private, no-store');
    expect(own.body).toContain(`action="/posts/5/comments/${id}/delete"`);
    expect((await bob.get('/posts/5/comments')).body).not.toContain(`action="/posts/5/comments/${id}/delete"`);
    expect((await server.inject('/posts/5/comments')).body).not.toContain('/delete"');

    const before = await counts(server, 5);
    await ada.get('/posts/5/comments');
    const deleted = await ada.post(`/posts/5/comments/${id}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/posts/5/comments');
    const after = await ada.get('/posts/5/comments');
    expect(after.body).toContain('The comment is deleted.');
    expect(after.body).not.toContain('Posted by mistake');
    expect(await counts(server, 5)).toEqual({ post: before.post - 1, list: before.list - 1, shown: before.shown - 1 });
  });

  it("an admin deletes anyone's comment, audited as theirs; bad and unknown ids are 400 and 404", async () => {
    const id = await comment(bob, 6, 'Buy cheap watches');
    const before = await counts(server, 6);
    await admin.get('/admin');
    const deleted = await admin.post(`/posts/6/comments/${id}/delete`, { next: '/admin' });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/admin');
    expect(await counts(server, 6)).toEqual({ post: before.post - 1, list: before.list - 1, shown: before.shown - 1 });
    const [audit] = await rows<{ user_id: number; actor_id: number; details: unknown }>(
      server,
      sql`select user_id, actor_id, details from auth_audit_events where type = 'comment.delete'`,
    );
    expect(audit).toEqual({
      user_id: await viewerId(bob),
      actor_id: await viewerId(admin),
      details: { postId: 6, commentId: id },
    });

    expect((await deleteJson(server, 6, 'abc', admin)).statusCode).toBe(400);
    expect((await deleteJson(server, 6, 999_999, admin)).statusCode).toBe(404);
    // A comment exists only under its own post.
    const elsewhere = await comment(bob, 7, 'On post 7');
    expect((await deleteJson(server, 6, elsewhere, admin)).statusCode).toBe(404);
  });

  it('hiding takes a comment off its post and out of the count, keeps it on /admin, and showing brings it back', async () => {
    const id = await comment(bob, 8, 'Heated, but maybe fine');
    const before = await counts(server, 8);
    await admin.get('/admin');
    const hidden = await admin.post(`/admin/comments/${id}/hide`, {});
    expect(hidden.statusCode).toBe(303);
    expect(hidden.headers.location).toBe('/admin');
    expect(await counts(server, 8)).toEqual({ post: before.post - 1, list: before.list - 1, shown: before.shown - 1 });
    // Hiding twice changes nothing.
    expect((await admin.post(`/admin/comments/${id}/hide`, {})).statusCode).toBe(303);
    expect((await counts(server, 8)).post).toBe(before.post - 1);

    const listed = await server.inject({
      url: '/api/admin/comments',
      headers: { accept: 'application/json', cookie: admin.cookieHeader() },
    });
    expect(listed.headers['cache-control']).toBe('private, no-store');
    expect(listed.json<{ comments: AdminComment[] }>().comments.find((c) => c.id === id)).toMatchObject({
      postId: 8,
      body: 'Heated, but maybe fine',
      hidden: true,
    });
    const page = await admin.get('/admin');
    expect(page.body).toContain(`action="/admin/comments/${id}/show"`);

    expect((await admin.post(`/admin/comments/${id}/show`, {})).statusCode).toBe(303);
    expect(await counts(server, 8)).toEqual(before);

    // Deleting a hidden comment does not count it out twice.
    await admin.post(`/admin/comments/${id}/hide`, {});
    await admin.post(`/posts/8/comments/${id}/delete`, {});
    expect(await counts(server, 8)).toEqual({ post: before.post - 1, list: before.list - 1, shown: before.shown - 1 });
    expect((await admin.post('/admin/comments/999999/hide', {})).statusCode).toBe(404);
  });

  it('/admin is for admins: signed out → sign in, a reader → 403 page, an admin → the private page', async () => {
    for (const path of ['/admin', '/admin/users', '/admin/jobs']) {
      const anonymous = await server.inject({ url: path, headers: { accept: 'text/html' } });
      expect(anonymous.statusCode).toBe(303);
      expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
      const reader = await ada.get(path);
      expect(reader.statusCode).toBe(403);
      expect(reader.body).toContain('This needs the admin role.');
      const allowed = await admin.get(path);
      expect(allowed.statusCode).toBe(200);
      expect(allowed.headers['cache-control']).toBe('private, no-store');
    }
    for (const path of ['/api/admin/comments', '/api/admin/users', '/api/admin/jobs']) {
      expect((await server.inject({ url: path, headers: { accept: 'application/json' } })).statusCode).toBe(401);
      expect(
        (await server.inject({ url: path, headers: { accept: 'application/json', cookie: ada.cookieHeader() } }))
          .statusCode,
      ).toBe(403);
    }
    expect((await ada.get('/')).body).not.toContain('href="/admin"');
    expect((await admin.get('/')).body).toContain('href="/admin"');
    // A blog that runs no jobs says so.
    // The blog's own jobs: the nightly purge and the hourly feed, with their next runs.
    expect((await admin.get('/admin/jobs')).body).toContain('feed.rebuild');
  });
});
