/**
 * Readers post comments over HTTP, on both database tiers: the JSON API (201/400/404), the form
 * without JavaScript (303 to the comment), CSRF (403 without a token), the form rate limit (429),
 * 50 concurrent comments on one post (none lost, the count exact), and the page cache: once a
 * comment's answer has arrived, no page served shows the post without it.
 */
import { databaseTiers, eventually } from '@composable-svelte/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comment, Post, PostSummary } from '../src/shared/model.js';
import { loadBuiltApp } from './support/built-server.js';
import { signedInSession } from './support/sessions.js';
import { TEST_ENV } from './support/test-env.js';

type AppModule = Awaited<ReturnType<typeof loadBuiltApp>>;
type BlogServer = Awaited<ReturnType<AppModule['createBlogServer']>>;
type InjectResponse = Awaited<ReturnType<BlogServer['inject']>>;

const PUBLIC_URL = 'https://blog.example.com';
const ENV = {
  ...TEST_ENV,
  // Not production: pages carry the x-cache debug header the cache checks read.
  NODE_ENV: 'test',
  PUBLIC_URL,
  RATE_LIMIT_ENABLED: 'false',
  AUTH_LOGIN_IP_MAX: '1000',
} as const;

interface ErrorBody {
  error: { status: number; code: string; message: string; details?: { path: string; message: string }[] };
}

let app: AppModule;
beforeAll(async () => {
  app = await loadBuiltApp();
});

let readers = 0;

/** A signed-in reader: a new account's cookies and the CSRF token that goes with them. */
const session = (server: BlogServer, name = 'Ada') =>
  signedInSession(server, { name, email: `reader-${++readers}-${Date.now()}@example.org` });

function postJson(
  server: BlogServer,
  postId: number | string,
  body: unknown,
  auth: { cookie: string; token?: string },
): Promise<InjectResponse> {
  return server.inject({
    method: 'POST',
    url: `/api/posts/${postId}/comments`,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      cookie: auth.cookie,
      ...(auth.token ? { 'x-csrf-token': auth.token } : {}),
    },
    payload: JSON.stringify(body),
  });
}

function postForm(
  server: BlogServer,
  postId: number,
  fields: Record<string, string>,
  cookie: string,
): Promise<InjectResponse> {
  return server.inject({
    method: 'POST',
    url: `/posts/${postId}/comments`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie },
    payload: new URLSearchParams(fields).toString(),
  });
}

async function commentsOf(server: BlogServer, postId: number): Promise<Comment[]> {
  const response = await server.inject(`/api/posts/${postId}/comments`);
  expect(response.statusCode).toBe(200);
  return response.json<{ comments: Comment[] }>().comments;
}

async function countOf(server: BlogServer, postId: number): Promise<{ post: number; list: number }> {
  const post = (await server.inject(`/api/posts/${postId}`)).json<{ post: Post }>().post;
  const list = (await server.inject('/api/posts')).json<{ posts: PostSummary[] }>().posts;
  return { post: post.commentCount, list: list.find((entry) => entry.id === postId)!.commentCount };
}

describe.each(await databaseTiers())('comments on the $name database', (tier) => {
  let databaseEnv: Record<string, string>;
  let dispose: (() => Promise<void>) | undefined;
  let server: BlogServer;

  beforeAll(async () => {
    if (tier.name === 'postgres') {
      const fresh = await tier.fresh();
      dispose = fresh.dispose;
      databaseEnv = { DATABASE_URL: fresh.url! };
    } else {
      databaseEnv = { DATABASE_DIR: 'memory://' };
    }
    server = await app.createBlogServer({ env: { ...ENV, ...databaseEnv } });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await dispose?.();
  });

  it('POST /api/posts/:id/comments answers 201 with the comment, trimmed, listed last and counted', async () => {
    const auth = await session(server);
    const before = await countOf(server, 2);
    const response = await postJson(server, 2, { author: '  Ada  ', body: '  First line\nsecond line\t!  ' }, auth);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const { comment } = response.json<{ comment: Comment }>();
    expect(comment).toEqual({
      id: expect.any(Number),
      postId: 2,
      author: 'Ada',
      body: 'First line\nsecond line\t!',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      // The writer's account: theirs to delete.
      authorId: expect.any(Number),
    });
    expect((await commentsOf(server, 2)).at(-1)).toEqual(comment);
    expect(await countOf(server, 2)).toEqual({ post: before.post + 1, list: before.list + 1 });
  });

  it.each([
    {
      case: 'a blank body',
      input: { author: 'Ada', body: ' \n\t ' },
      paths: ['body.body'],
      words: 'Please write a comment.',
    },
    {
      case: 'a 5001-character body',
      input: { author: 'Ada', body: 'x'.repeat(5001) },
      paths: ['body.body'],
      words: '5000 characters or fewer',
    },
    { case: 'NUL in the body', input: { author: 'Ada', body: 'a\u0000b' }, paths: ['body.body'], words: 'control' },
  ])('refuses $case with 400 and field details, storing nothing', async ({ input, paths, words }) => {
    const auth = await session(server);
    const before = await commentsOf(server, 3);
    const response = await postJson(server, 3, input, auth);
    expect(response.statusCode, response.body).toBe(400);
    const { error } = response.json<ErrorBody>();
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.details!.map((detail) => detail.path)).toEqual(paths);
    expect(error.message).toContain(words);
    expect(await commentsOf(server, 3)).toEqual(before);
  });

  it('the author is the signed-in reader, whatever the body says', async () => {
    const auth = await session(server, 'Barbara');
    const response = await postJson(server, 3, { author: 'Somebody Else', body: 'Signed' }, auth);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<{ comment: Comment }>().comment.author).toBe('Barbara');
    const withoutName = await postJson(server, 3, { body: 'No name field' }, auth);
    expect(withoutName.json<{ comment: Comment }>().comment.author).toBe('Barbara');
  });

  it('refuses anonymous comments: 401 for the API, the sign-in page for the form; nothing stored', async () => {
    const before = await commentsOf(server, 4);
    const csrf = await server.inject('/api/csrf');
    const cookie = String(csrf.headers['set-cookie']).split(';')[0]!;
    const token = csrf.json<{ token: string }>().token;
    const json = await postJson(server, 4, { author: 'Anon', body: 'Hello' }, { cookie, token });
    expect(json.statusCode).toBe(401);
    expect(json.json<ErrorBody>().error.code).toBe('UNAUTHENTICATED');
    const form = await server.inject({
      method: 'POST',
      url: '/posts/4/comments',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
        cookie,
        referer: `${PUBLIC_URL}/posts/4/comments?write=1`,
      },
      payload: new URLSearchParams({ author: 'Anon', body: 'Hello', _csrf: token }).toString(),
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe('/login?next=%2Fposts%2F4%2Fcomments%3Fwrite%3D1');
    expect(await commentsOf(server, 4)).toEqual(before);
  });

  it('refuses a body that is not a comment (missing field, wrong type) with 400', async () => {
    const auth = await session(server);
    for (const input of [{ author: 'Ada' }, { author: 'Ada', body: { text: 'Hello' } }, 'just a string']) {
      const response = await postJson(server, 3, input, auth);
      expect(response.statusCode, JSON.stringify(input)).toBe(400);
    }
  });

  it('answers 404 for a post that does not exist and 400 for an id that is not one', async () => {
    const auth = await session(server);
    const missing = await postJson(server, 999_999, { author: 'Ada', body: 'Hello' }, auth);
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorBody>().error.message).toBe('Post 999999 does not exist');
    const bad = await postJson(server, 'abc', { author: 'Ada', body: 'Hello' }, auth);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.details).toEqual([{ path: 'params.id', message: expect.any(String) }]);
  });

  it('answers 403 without a CSRF token (JSON with the cookie, or a form) and stores nothing', async () => {
    const { cookie, token } = await session(server);
    const before = await commentsOf(server, 4);
    const json = await postJson(server, 4, { author: 'Mallory', body: 'Forged' }, { cookie });
    expect(json.statusCode).toBe(403);
    expect(json.json<ErrorBody>().error.message).toContain('CSRF token missing');
    const form = await postForm(server, 4, { author: 'Mallory', body: 'Forged' }, cookie);
    expect(form.statusCode).toBe(403);
    const wrongToken = await postJson(server, 4, { author: 'Mallory', body: 'Forged' }, { cookie, token: `${token}x` });
    expect(wrongToken.statusCode).toBe(403);
    const crossSite = await server.inject({
      method: 'POST',
      url: '/api/posts/4/comments',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie, 'x-csrf-token': token },
      payload: JSON.stringify({ author: 'Mallory', body: 'Forged' }),
    });
    expect(crossSite.statusCode).toBe(403);
    expect(await commentsOf(server, 4)).toEqual(before);
  });

  it('the form without JavaScript: 303 to the comment on the comments page, which shows it', async () => {
    const { cookie, token } = await session(server, 'Grace');
    const response = await postForm(server, 5, { body: 'Posted <b>without</b> JS', _csrf: token }, cookie);
    expect(response.statusCode, response.body).toBe(303);
    const comment = (await commentsOf(server, 5)).at(-1)!;
    expect(comment).toMatchObject({ author: 'Grace', body: 'Posted <b>without</b> JS' });
    expect(response.headers.location).toBe(`/posts/5/comments#comment-${comment.id}`);
    const page = await server.inject('/posts/5/comments');
    expect(page.body).toContain(`id="comment-${comment.id}"`);
    // Plain text, escaped by Svelte: the markup a reader typed is shown, never interpreted.
    expect(page.body).toContain('Posted &lt;b>without&lt;/b> JS');
  });

  it('the form with an invalid field: a 400 page that says what to correct, nothing stored', async () => {
    const { cookie, token } = await session(server);
    const before = await commentsOf(server, 5);
    const response = await postForm(server, 5, { body: ' ', _csrf: token }, cookie);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('Please write a comment.');
    expect(await commentsOf(server, 5)).toEqual(before);
  });

  it('the page with the form (?write=1) is private and carries a token; the comments page stays public', async () => {
    const { cookie } = await session(server, 'Kay');
    const form = await server.inject({ url: '/posts/1/comments?write=1', headers: { cookie } });
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toBe('private, no-store');
    expect(form.body).toMatch(/<form id="comment-form"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+"/);
    expect(form.body).toContain('Commenting as <strong>Kay</strong>');
    expect(form.body).not.toContain('id="comment-author"');
    const page = await server.inject('/posts/1/comments');
    expect(page.headers['cache-control']).toMatch(/^public/);
    expect(page.body).not.toContain('name="_csrf"');
    // Anonymous readers are offered sign-in, which comes back to the form.
    expect(page.body).toContain('href="/login?next=%2Fposts%2F1%2Fcomments%3Fwrite%3D1"');
    const anonymousForm = await server.inject('/posts/1/comments?write=1');
    expect(anonymousForm.body).not.toContain('id="comment-form"');
  });

  it('50 concurrent comments on one post: every one stored, the count exactly 50 more', async () => {
    const auth = await session(server);
    const before = await countOf(server, 6);
    const listed = (await commentsOf(server, 6)).length;
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, n) => postJson(server, 6, { author: `Reader ${n}`, body: `Comment ${n}` }, auth)),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(50).fill(201));
    const comments = await commentsOf(server, 6);
    expect(comments).toHaveLength(listed + 50);
    expect(new Set(comments.map((comment) => comment.body))).toEqual(
      new Set([
        ...comments.slice(0, listed).map((c) => c.body),
        ...Array.from({ length: 50 }, (_, n) => `Comment ${n}`),
      ]),
    );
    expect(await countOf(server, 6)).toEqual({ post: before.post + 50, list: before.list + 50 });
  });

  it('cached pages are invalidated before the answer arrives: the next load shows the comment', async () => {
    const auth = await session(server);
    // Comment events of earlier tests may still be delivered (the outbox invalidates these pages
    // again after commit), so the pages are cached once no such late invalidation undoes it.
    const pages = ['/posts/7/comments', '/posts/7', '/'];
    const cached = async () => {
      for (const url of pages) await server.inject(url);
      const hits = await Promise.all(pages.map(async (url) => (await server.inject(url)).headers['x-cache']));
      return hits.every((hit) => hit === 'HIT');
    };
    expect(await eventually(cached, 10_000, 100)).toBe(true);
    const body = `A comment the cache must not hide ${Date.now()}`;
    const { post } = (await server.inject('/api/posts/7')).json<{ post: Post }>();
    const created = await postJson(server, 7, { author: 'Ada', body }, auth);
    expect(created.statusCode).toBe(201);
    const comments = await server.inject('/posts/7/comments');
    expect(comments.headers['x-cache']).toBe('MISS');
    expect(comments.body).toContain(body);
    const count = post.commentCount + 1;
    expect((await server.inject('/posts/7')).body).toContain(`Read ${count} comment${count === 1 ? '' : 's'} on`);
    expect((await server.inject('/')).body).toContain(`${count} comment${count === 1 ? '' : 's'}`);
  });

  // A render that read the comments before the write must not be stored after the invalidation,
  // nor handed to a request that arrives after the answer (it joins the render in flight).
  it('a render in flight when the comment is written is never served after the answer', async () => {
    const auth = await session(server);
    for (let n = 0; n < 10; n++) {
      const body = `Racing render ${n}`;
      // Start a render of the page before the write (it may read the comments before or after it).
      const racing = server.inject('/posts/8/comments');
      const created = await postJson(server, 8, { author: 'Ada', body }, auth);
      expect(created.statusCode).toBe(201);
      const after = await server.inject('/posts/8/comments');
      expect(after.body.includes(body), `load ${n} after the answer shows the comment`).toBe(true);
      await racing;
    }
  });

  it('the form rate limit applies: past RATE_LIMIT_FORM_MAX in a window, 429', async () => {
    const limited = await app.createBlogServer({
      env: {
        ...ENV,
        ...(tier.name === 'postgres' ? databaseEnv : { DATABASE_DIR: 'memory://' }),
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_FORM_MAX: '3',
      },
    });
    try {
      const auth = await session(limited);
      const statuses: number[] = [];
      for (let n = 0; n < 4; n++) {
        statuses.push((await postJson(limited, 9, { author: 'Ada', body: `Quick ${n}` }, auth)).statusCode);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
      const form: number[] = [];
      for (let n = 0; n < 4; n++) {
        const fields = { author: 'Ada', body: `Form ${n}`, _csrf: auth.token };
        form.push((await postForm(limited, 9, fields, auth.cookie)).statusCode);
      }
      expect(form).toEqual([303, 303, 303, 429]);
    } finally {
      await limited.close();
    }
  });
});
