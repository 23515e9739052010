/**
 * Authors write and edit posts, on both database tiers: the editor pages and their multipart forms
 * without JavaScript (303 to the post, with a cover), the JSON API with bearer credentials and
 * scopes, who may do what (author, other author, admin, reader, anonymous), CSRF, cover limits
 * (format from the bytes, size), Markdown stored rendered and sanitized, and the page cache: right
 * after the 303 no page served lacks the write.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, users } from '@composable-svelte/server/auth';
import { databaseTiers } from '@composable-svelte/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post, PostSummary } from '../src/shared/model.js';
import { loadBuiltApp } from './support/built-server.js';
import { FormBrowser } from './support/form-browser.js';
import { png } from './support/multipart.js';
import { TEST_PASSWORD } from './support/sessions.js';
import { TEST_ENV } from './support/test-env.js';

type AppModule = Awaited<ReturnType<typeof loadBuiltApp>>;
type BlogServer = Awaited<ReturnType<AppModule['createBlogServer']>>;

const COVER_MAX_BYTES = 20_000;
const ENV = {
  ...TEST_ENV,
  // Not production: pages carry the x-cache debug header the cache checks read.
  NODE_ENV: 'test',
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

describe.each(await databaseTiers())('authors write posts on the $name database', (tier) => {
  let dispose: (() => Promise<void>) | undefined;
  let server: BlogServer;
  let covers: string;
  let accounts = 0;

  /** An account with these roles (as `npm run user:create -- --role author` makes it), signed in through the form. */
  async function signedIn(roles: string[], name = 'Ada Writer'): Promise<{ browser: FormBrowser; id: number }> {
    const email = `writer-${++accounts}@example.org`;
    const [row] = await server
      .database!.db.insert(users)
      .values({ email, name, roles, passwordHash: await hashPassword(TEST_PASSWORD, server.config.auth.argon2) })
      .returning({ id: users.id });
    const browser = new FormBrowser(server);
    await browser.get('/login');
    const login = await browser.post('/login', { email, password: TEST_PASSWORD });
    expect(login.statusCode, login.body).toBe(303);
    // Any page of a signed-in viewer carries the token its forms post.
    await browser.get('/write');
    return { browser, id: row!.id };
  }

  const anonymous = (url: string) => server.inject({ url, headers: { accept: 'text/html' } });
  const postOf = async (id: number) => (await server.inject(`/api/posts/${id}`)).json<{ post: Post }>().post;
  const storedCovers = () => readdirSync(covers).filter((name) => !name.startsWith('.'));

  beforeAll(async () => {
    covers = mkdtempSync(join(tmpdir(), 'blog-covers-'));
    let databaseEnv: Record<string, string> = { DATABASE_DIR: 'memory://' };
    if (tier.name === 'postgres') {
      const fresh = await tier.fresh();
      dispose = fresh.dispose;
      databaseEnv = { DATABASE_URL: fresh.url! };
    }
    server = await app.createBlogServer({
      env: { ...ENV, ...databaseEnv },
      covers: { directory: covers, maxBytes: COVER_MAX_BYTES },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await dispose?.();
    rmSync(covers, { recursive: true, force: true });
  });

  it('an author writes a post with a cover through the form; the cached list and the post show it at once', async () => {
    const { browser } = await signedIn(['author']);
    const editor = await browser.get('/write');
    expect(editor.statusCode).toBe(200);
    expect(editor.headers['cache-control']).toContain('no-store');
    expect(editor.body).toMatch(/<form[^>]*action="\/posts"[^>]*enctype="multipart\/form-data"/);

    // The list is in the page cache before the write.
    await anonymous('/');
    expect((await anonymous('/')).headers['x-cache']).toBe('HIT');

    const image = png();
    const created = await browser.postMultipart('/posts', {
      title: '  Notes on writing  ',
      summary: '',
      body: '## A start\n\nSome *emphasis* and a [link](https://example.org).',
      cover: { filename: 'cover.png', type: 'image/png', body: image },
    });
    expect(created.statusCode, created.body.slice(0, 300)).toBe(303);
    const id = Number(/^\/posts\/(\d+)$/.exec(String(created.headers.location))?.[1]);
    expect(id).toBeGreaterThan(24);

    const list = await anonymous('/');
    expect(list.headers['x-cache']).not.toBe('HIT');
    expect(list.body).toContain('Notes on writing');
    const page = await anonymous(`/posts/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('By Ada Writer');
    expect(page.body).toContain('<h3>A start</h3>');
    expect(page.body).toContain('<em>emphasis</em>');
    expect(page.body).toContain('<a href="https://example.org" rel="noopener noreferrer nofollow">link</a>');

    const post = await postOf(id);
    expect(post).toMatchObject({ title: 'Notes on writing', author: 'Ada Writer', updatedAt: null, commentCount: 0 });
    expect(post.excerpt).toBe('A start Some emphasis and a link.');
    expect(post.coverUrl).toMatch(/^\/uploads\/[A-Za-z0-9_-]{22}\.png$/);
    expect(page.body).toContain(`<img class="cover" src="${post.coverUrl}"`);
    expect(list.body).toContain(`src="${post.coverUrl}"`);
    const served = await server.inject(post.coverUrl!);
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(image)).toBe(true);
    expect(served.headers).toMatchObject({ 'content-type': 'image/png', 'x-content-type-options': 'nosniff' });
  });

  it('the author edits the post: the editor holds the Markdown, the form saves it, the cached pages follow', async () => {
    const { browser } = await signedIn(['author'], 'Edith Editor');
    const created = await browser.postMultipart('/posts', {
      title: 'First title',
      summary: 'A summary of my own.',
      body: 'First *body*.',
      cover: { filename: '', type: 'application/octet-stream', body: '' },
    });
    expect(created.statusCode, created.body.slice(0, 300)).toBe(303);
    const id = Number(String(created.headers.location).split('/').at(-1));
    expect((await postOf(id)).coverUrl).toBeNull();
    await anonymous(`/posts/${id}`);
    expect((await anonymous(`/posts/${id}`)).headers['x-cache']).toBe('HIT');
    await anonymous('/');

    const own = await browser.get(`/posts/${id}`);
    expect(own.body).toContain(`<a href="/posts/${id}/edit">Edit this post</a>`);
    const editor = await browser.get(`/posts/${id}/edit`);
    expect(editor.statusCode).toBe(200);
    expect(editor.headers['cache-control']).toContain('no-store');
    expect(editor.body).toMatch(new RegExp(`<form[^>]*action="/posts/${id}"`));
    expect(editor.body).toContain('First *body*.');
    expect(editor.body).toContain('A summary of my own.');

    const saved = await browser.postMultipart(`/posts/${id}`, {
      title: 'Second title',
      summary: '',
      body: 'Second body, **bolder**.',
    });
    expect(saved.statusCode, saved.body.slice(0, 300)).toBe(303);
    expect(saved.headers.location).toBe(`/posts/${id}`);
    const page = await anonymous(`/posts/${id}`);
    expect(page.headers['x-cache']).not.toBe('HIT');
    expect(page.body).toContain('Second title');
    expect(page.body).toContain('<strong>bolder</strong>');
    expect(page.body).toMatch(/updated <time datetime="\d{4}-/);
    expect((await anonymous('/')).body).toContain('Second body, bolder.');
    const post = await postOf(id);
    expect(post).toMatchObject({ title: 'Second title', excerpt: 'Second body, bolder.', author: 'Edith Editor' });
    expect(post.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('only the post’s author or an admin edits it; readers and other authors get 403', async () => {
    const { browser: author } = await signedIn(['author']);
    const created = await author.postMultipart('/posts', { title: 'Mine', summary: '', body: 'Mine alone.' });
    const id = Number(String(created.headers.location).split('/').at(-1));

    const { browser: other } = await signedIn(['author'], 'Other Author');
    expect((await other.get(`/posts/${id}`)).body).not.toContain('Edit this post');
    expect((await other.get(`/posts/${id}/edit`)).statusCode).toBe(403);
    const refused = await other.postMultipart(`/posts/${id}`, { title: 'Taken', summary: '', body: 'Taken over.' });
    expect(refused.statusCode).toBe(403);
    expect((await postOf(id)).title).toBe('Mine');

    const { browser: reader } = await signedIn([], 'Just Reading');
    expect((await reader.get('/write')).statusCode).toBe(403);
    expect((await reader.postMultipart('/posts', { title: 'No', summary: '', body: 'No.' })).statusCode).toBe(403);
    expect((await reader.get(`/posts/${id}/edit`)).statusCode).toBe(403);

    const { browser: admin } = await signedIn(['admin'], 'The Admin');
    expect((await admin.get(`/posts/${id}/edit`)).statusCode).toBe(200);
    const fixed = await admin.postMultipart(`/posts/${id}`, { title: 'Mine, fixed', summary: '', body: 'Mine alone.' });
    expect(fixed.statusCode).toBe(303);
    expect(await postOf(id)).toMatchObject({ title: 'Mine, fixed', author: 'Ada Writer' });
    // A seed essay has no account: only admins edit it, starting from its text.
    expect((await author.get('/posts/3/edit')).statusCode).toBe(403);
    const seed = await admin.get('/posts/3/edit');
    expect(seed.statusCode).toBe(200);
    expect(seed.body).toContain('On a Tuesday afternoon in February');
  });

  it('anonymous visitors are sent to sign in (pages, forms) or get 401 (API); unknown posts are 404', async () => {
    const editor = await anonymous('/write');
    expect(editor.statusCode).toBe(303);
    expect(editor.headers.location).toBe('/login?next=%2Fwrite');
    const edit = await anonymous('/posts/2/edit');
    expect(edit.statusCode).toBe(303);
    expect(edit.headers.location).toBe('/login?next=%2Fposts%2F2%2Fedit');
    const form = await new FormBrowser(server).postMultipart('/posts', { title: 'Anon', summary: '', body: 'Anon.' });
    expect(form.statusCode).toBe(303);
    expect(String(form.headers.location)).toMatch(/^\/login\?next=/);
    const api = await server.inject({
      method: 'POST',
      url: '/api/posts',
      headers: { 'content-type': 'application/json' },
      payload: { title: 'Anon', body: 'Anon.' },
    });
    expect(api.statusCode).toBe(401);

    const { browser } = await signedIn(['author']);
    expect((await browser.get('/posts/999999/edit')).statusCode).toBe(404);
    expect((await browser.postMultipart('/posts/999999', { title: 'T', summary: '', body: 'B' })).statusCode).toBe(404);
    expect((await browser.get('/posts/03/edit')).statusCode).toBe(400);
  });

  it('refuses a form without its CSRF token (403) and stores nothing', async () => {
    const { browser } = await signedIn(['author']);
    const before = (await server.inject('/api/posts')).json<{ posts: PostSummary[] }>().posts.length;
    const response = await browser.postMultipart(
      '/posts',
      { title: 'Forged', summary: '', body: 'Forged.', cover: { filename: 'a.png', type: 'image/png', body: png() } },
      { csrf: false },
    );
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('CSRF token missing');
    expect((await server.inject('/api/posts')).json<{ posts: PostSummary[] }>().posts).toHaveLength(before);
  });

  it('refuses a cover that is not an image by its bytes (415) or too large (413), keeping neither post nor file', async () => {
    const { browser } = await signedIn(['author']);
    const before = storedCovers();
    const count = async () => (await server.inject('/api/posts')).json<{ posts: PostSummary[] }>().posts.length;
    const posts = await count();
    const script = await browser.postMultipart('/posts', {
      title: 'Sneaky',
      summary: '',
      body: 'Sneaky.',
      cover: { filename: 'cover.png', type: 'image/png', body: '<svg onload="alert(1)"></svg>'.repeat(20) },
    });
    expect(script.statusCode).toBe(415);
    const big = await browser.postMultipart('/posts', {
      title: 'Huge',
      summary: '',
      body: 'Huge.',
      cover: { filename: 'huge.png', type: 'image/png', body: png(COVER_MAX_BYTES + 1000) },
    });
    expect(big.statusCode).toBe(413);
    expect(await count()).toBe(posts);
    expect(storedCovers()).toEqual(before);
  });

  it('the JSON API: 201 with a write-scoped key, 403 with a read-only one, 400 with details, PATCH edits part', async () => {
    const { browser, id: userId } = await signedIn(['author'], 'Api Author');
    // Keys made as the account page's script makes them: signed in, with the CSRF token.
    const keyWith = async (scopes: string[]) => {
      const made = await server.inject({
        method: 'POST',
        url: '/api/auth/keys',
        headers: { 'content-type': 'application/json', cookie: browser.cookieHeader(), 'x-csrf-token': browser.token },
        payload: JSON.stringify({ name: scopes.join('+'), scopes }),
      });
      expect(made.statusCode, made.body).toBe(201);
      return made.json<{ key: string }>().key;
    };
    const writer = await keyWith(['read', 'write']);
    const reader = await keyWith(['read']);
    const send = (method: 'POST' | 'PATCH', url: string, key: string, payload: unknown) =>
      server.inject({
        method,
        url,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        payload: JSON.stringify(payload),
      });

    const created = await send('POST', '/api/posts', writer, { title: 'From a script', body: 'Hello *API*.' });
    expect(created.statusCode, created.body).toBe(201);
    const { post } = created.json<{ post: Post }>();
    expect(post).toMatchObject({ title: 'From a script', authorId: userId, bodyHtml: '<p>Hello <em>API</em>.</p>' });
    expect((await send('POST', '/api/posts', reader, { title: 'No', body: 'No.' })).statusCode).toBe(403);

    const bad = await send('POST', '/api/posts', writer, { title: ' ', body: '' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<ErrorBody>()
        .error.details?.map((d) => d.path)
        .sort(),
    ).toEqual(['body.body', 'body.title']);
    const long = await send('POST', '/api/posts', writer, { title: 'x'.repeat(201), body: 'Fine.' });
    expect(long.statusCode).toBe(400);
    expect(long.json<ErrorBody>().error.details).toEqual([
      { path: 'body.title', message: 'Please keep the title to 200 characters or fewer.' },
    ]);

    const patched = await send('PATCH', `/api/posts/${post.id}`, writer, { title: 'Renamed' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<{ post: Post }>().post).toMatchObject({ title: 'Renamed', bodyHtml: post.bodyHtml });
    expect((await send('PATCH', '/api/posts/999999', writer, { title: 'Nobody' })).statusCode).toBe(404);
    expect((await send('PATCH', '/api/posts/2', writer, { title: 'Not mine' })).statusCode).toBe(403);

    // Beyond BODY_LIMIT_BYTES (1 MiB by default): refused before it is read whole.
    const tooBig = await send('POST', '/api/posts', writer, { title: 'Big', body: 'x'.repeat(1_100_000) });
    expect(tooBig.statusCode).toBe(413);
  });

  it('stores hostile Markdown rendered and sanitized: no raw HTML, script or javascript: URL reaches the page', async () => {
    const { browser } = await signedIn(['author']);
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(2)>',
      '[click](javascript:alert(3))',
      '[click](JaVaScRiPt&#58;alert(4))',
      '![pic](javascript:alert(5))',
      '<a href="javascript:alert(6)">a</a>',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)',
      '<iframe src="https://evil.example"></iframe>',
    ].join('\n\n');
    const created = await browser.postMultipart('/posts', { title: 'Hostile', summary: '', body: hostile });
    expect(created.statusCode).toBe(303);
    const page = await anonymous(String(created.headers.location));
    const body = /<div class="post-body">([\s\S]*?)<\/div>/.exec(page.body)?.[1] ?? '';
    expect(body).not.toBe('');
    expect(body).not.toMatch(/<(script|iframe|object|embed|svg)\b/i);
    expect(body).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(body).not.toMatch(/(href|src)\s*=\s*["']?\s*(javascript|vbscript|data):/i);
    // Typed HTML is shown as text, not dropped.
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
