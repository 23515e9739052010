import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseState, STATE_ELEMENT_ID } from '@composable-svelte/core/ssr';
import { seedPosts } from '../src/server/data/seed.js';
import { createInMemoryPostsRepository } from '../src/server/in-memory-posts-repository.js';
import type { Comment, Post, PostSummary, PostsRepository } from '../src/shared/model.js';
import type { BlogState } from '../src/shared/state.js';
import { loadBuiltApp } from './support/built-server.js';

type AppModule = Awaited<ReturnType<typeof loadBuiltApp>>;
type BlogServer = Awaited<ReturnType<AppModule['createBlogServer']>>;

const PUBLIC_URL = 'https://blog.example.com';
const ENV = {
  NODE_ENV: 'production',
  // Each server its own embedded database: test files run in parallel.
  DATABASE_DIR: 'memory://',
  LOG_LEVEL: 'silent',
  PUBLIC_URL,
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
} as const;
const XSS_TITLE = 'Why </script><script>alert(1)</script> in a title is harmless here';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------------------------
// Small HTML helpers. The documents are produced by our own renderer, so regular expressions over
// the few tags we care about are enough; every helper fails loudly when what it looks for is absent.
// ---------------------------------------------------------------------------------------------

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  '#39': "'",
  '#x27': "'",
  nbsp: '\u00a0',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (ENTITIES[lower] !== undefined) return ENTITIES[lower];
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return whole;
  });
}

/** Text a reader sees: comments and tags removed, entities decoded, whitespace collapsed. */
function textOf(html: string): string {
  return decodeEntities(html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Opening tags of an element, e.g. every `<link …>`. */
function tags(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'gi'))].map((m) => m[0]);
}

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  const body = tag.replace(/^<[a-z0-9-]+/i, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    found[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return found;
}

function tagsWith(html: string, name: string, wanted: Record<string, string>): Record<string, string>[] {
  return tags(html, name)
    .map(attributes)
    .filter((attrs) => Object.entries(wanted).every(([key, value]) => attrs[key] === value));
}

function titlesOf(html: string): string[] {
  return [...html.matchAll(/<title\b[^>]*>([\s\S]*?)<\/title>/gi)].map((m) => decodeEntities(m[1]!));
}

function firstElementText(html: string, name: string): string {
  const match = new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`, 'i').exec(html);
  if (!match) throw new Error(`no <${name}> in the document`);
  return textOf(match[1]!);
}

function stateOf(html: string): BlogState {
  const match = new RegExp(`<script type="application/json" id="${STATE_ELEMENT_ID}">([\\s\\S]*?)</script>`).exec(html);
  if (!match) throw new Error('the document has no serialized state block');
  return parseState<BlogState>(match[1]!);
}

function canonicalOf(html: string): string | undefined {
  const links = tagsWith(html, 'link', { rel: 'canonical' });
  expect(links.length).toBeLessThanOrEqual(1);
  return links[0]?.href;
}

const sha384 = (bytes: Buffer | string): string => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

// ---------------------------------------------------------------------------------------------

let app: AppModule;
let server: BlogServer;
const seed = createInMemoryPostsRepository();
let post3: Post;
let comments3: readonly Comment[];
let posts: readonly PostSummary[];

beforeAll(async () => {
  app = await loadBuiltApp();
  server = await app.createBlogServer({ env: { ...ENV } });
  post3 = (await seed.getPost(3))!;
  comments3 = (await seed.listComments(3))!;
  posts = await seed.listPosts();
});

afterAll(async () => {
  await server?.close();
});

const get = (url: string) => server.inject({ method: 'GET', url });

/** What every successful page must carry, whatever its content. */
function expectWellFormedPage(html: string, path: string): void {
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).toMatch(/<html lang="en">/);
  expect(titlesOf(html)).toHaveLength(1);
  const descriptions = tagsWith(html, 'meta', { name: 'description' });
  expect(descriptions).toHaveLength(1);
  expect(descriptions[0]!.content!.length).toBeGreaterThan(0);
  expect(canonicalOf(html)).toBe(PUBLIC_URL + path);

  const styles = tagsWith(html, 'link', { rel: 'stylesheet' });
  expect(styles.length).toBeGreaterThanOrEqual(1);
  for (const css of styles) {
    expect(css.href).toMatch(/^\/assets\/.+\.css$/);
    expect(css.integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
  }
  const preloads = tagsWith(html, 'link', { rel: 'modulepreload' });
  expect(preloads.length).toBeGreaterThanOrEqual(1);
  for (const js of preloads) expect(js.integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);

  const modules = tagsWith(html, 'script', { type: 'module' });
  expect(modules).toHaveLength(1);
  expect(modules[0]!.src).toMatch(/^\/assets\/.+\.js$/);
  expect(modules[0]!.integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
  expect(preloads.map((p) => p.href)).toContain(modules[0]!.src);
  expectNoInlineScript(html);
}

/** Every <script> is a JSON data block or an external file: a strict CSP needs no 'unsafe-inline'. */
function expectNoInlineScript(html: string): void {
  const scripts = tags(html, 'script').map(attributes);
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) {
    const isData = script.type === 'application/json';
    const isExternal = typeof script.src === 'string' && script.src.length > 0;
    expect(isData || isExternal, `inline executable script: ${JSON.stringify(script)}`).toBe(true);
  }
  // Inline event handlers would need 'unsafe-inline' too.
  expect(html).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/javascript:/i);
}

describe('the home page', () => {
  it('is server-rendered HTML with every post title and excerpt in the raw document', async () => {
    const res = await get('/');

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['x-request-id']).toMatch(UUID);
    expectWellFormedPage(res.body, '/');

    const text = textOf(res.body);
    expect(titlesOf(res.body)[0]).toContain('Field Notes');
    expect(firstElementText(res.body, 'h1')).toBe('Latest essays');
    for (const post of posts) {
      expect(text).toContain(post.title);
      expect(text).toContain(post.excerpt);
    }
    // Newest first, as the repository orders them.
    const linked = [...res.body.matchAll(/<h2><a href="\/posts\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(linked).toEqual(posts.map((p) => p.id));
  });

  it('serializes the state it rendered: the home page, ready, with the 24 posts', async () => {
    const state = stateOf((await get('/')).body);

    expect(state.page).toEqual({ route: 'home', params: {}, query: {} });
    expect(state.load).toEqual({ status: 'ready' });
    expect(state.posts).toHaveLength(24);
    expect(state.posts).toEqual(JSON.parse(JSON.stringify(posts)));
    expect(state.origin).toBe(PUBLIC_URL);
  });

  it('answers HEAD with the GET status and headers and an empty body', async () => {
    const [head, full] = await Promise.all([server.inject({ method: 'HEAD', url: '/' }), get('/')]);

    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe(full.headers['content-type']);
    expect(head.headers['x-request-id']).toMatch(UUID);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(full.body)));
    expect(head.body).toBe('');
  });

  it('gives every request its own id', async () => {
    const ids = await Promise.all([get('/'), get('/'), get('/posts/3')]).then((all) =>
      all.map((r) => r.headers['x-request-id']),
    );
    expect(new Set(ids).size).toBe(3);
  });

  it('does not take the request id from the client', async () => {
    const res = await server.inject({ method: 'GET', url: '/', headers: { 'x-request-id': 'attacker-chosen' } });
    expect(res.headers['x-request-id']).toMatch(UUID);
  });
});

describe('a post page', () => {
  it('renders the post: title, author, every paragraph, the comment link', async () => {
    const res = await get('/posts/3');

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['x-request-id']).toMatch(UUID);
    expectWellFormedPage(res.body, '/posts/3');

    expect(titlesOf(res.body)[0]).toContain(post3.title);
    expect(tagsWith(res.body, 'meta', { name: 'description' })[0]!.content).toBe(post3.excerpt);
    expect(firstElementText(res.body, 'h1')).toBe(post3.title);
    const text = textOf(res.body);
    expect(text).toContain(post3.author);
    for (const paragraph of seedPosts.find((p) => p.id === 3)!.body) expect(text).toContain(paragraph);
    expect(res.body).toContain('href="/posts/3/comments"');
  });

  it('serializes the post it rendered, ready', async () => {
    const state = stateOf((await get('/posts/3')).body);

    expect(state.page).toEqual({ route: 'post', params: { id: 3 }, query: {} });
    expect(state.load).toEqual({ status: 'ready' });
    expect(state.postsById['3']).toEqual(JSON.parse(JSON.stringify(post3)));
    expect(state.origin).toBe(PUBLIC_URL);
  });

  it('accepts a trailing slash and keeps the canonical URL without it', async () => {
    const res = await get('/posts/3/');

    expect(res.statusCode).toBe(200);
    expect(titlesOf(res.body)[0]).toContain(post3.title);
    expect(canonicalOf(res.body)).toBe(`${PUBLIC_URL}/posts/3`);
    expect(stateOf(res.body).page).toEqual({ route: 'post', params: { id: 3 }, query: {} });
  });

  it('leaves a query string out of the canonical URL', async () => {
    const res = await get('/posts/3?utm_source=newsletter');

    expect(res.statusCode).toBe(200);
    expect(canonicalOf(res.body)).toBe(`${PUBLIC_URL}/posts/3`);
  });
});

describe('a comments page', () => {
  it('renders the post title and every comment in the raw document', async () => {
    const res = await get('/posts/3/comments');

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['x-request-id']).toMatch(UUID);
    expectWellFormedPage(res.body, '/posts/3/comments');

    expect(comments3.length).toBeGreaterThanOrEqual(4);
    expect(titlesOf(res.body)[0]).toContain(post3.title);
    const text = textOf(res.body);
    for (const comment of comments3) {
      expect(text).toContain(comment.author);
      expect(text).toContain(comment.body);
    }
    // Oldest first.
    const positions = comments3.map((c) => text.indexOf(c.body));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('heads the page with readable text: "Comments on “<title>”"', async () => {
    const res = await get('/posts/3/comments');
    expect(firstElementText(res.body, 'h1')).toBe(`Comments on “${post3.title}”`);
  });

  it('serializes both the post and its comments, ready', async () => {
    const state = stateOf((await get('/posts/3/comments')).body);

    expect(state.page).toEqual({ route: 'comments', params: { id: 3 }, query: {} });
    expect(state.load).toEqual({ status: 'ready' });
    expect(state.postsById['3']).toEqual(JSON.parse(JSON.stringify(post3)));
    expect(state.commentsByPost['3']).toEqual(JSON.parse(JSON.stringify(comments3)));
  });

  it.each([5, 16, 20])('says so when post %i has no comments', async (id) => {
    const res = await get(`/posts/${id}/comments`);

    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain('No comments yet.');
    expect(stateOf(res.body).commentsByPost[String(id)]).toEqual([]);
  });
});

describe('pages that do not exist', () => {
  it('answers a missing post with 404 and the not-found message', async () => {
    const res = await get('/posts/999');

    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(titlesOf(res.body)).toEqual(['Post not found — Field Notes']);
    expect(textOf(res.body)).toContain('This post does not exist.');
    expect(res.body).toMatch(/role="alert"/);
    // Nothing to retry: the post does not exist.
    expect(res.body).not.toContain('Try again');
    const state = stateOf(res.body);
    expect(state.page).toEqual({ route: 'post', params: { id: 999 }, query: {} });
    expect(state.load).toMatchObject({ status: 'failed', httpStatus: 404 });
    expectNoInlineScript(res.body);
  });

  it('answers comments of a missing post with 404', async () => {
    const res = await get('/posts/999/comments');

    expect(res.statusCode).toBe(404);
    expect(stateOf(res.body).load).toMatchObject({ status: 'failed', httpStatus: 404 });
  });

  it.each(['/x/y', '/posts', '/posts/3/comments/extra', '/POSTS/3', '/posts//3'])(
    'answers the unknown path %s with the app’s 404 page',
    async (url) => {
      const res = await get(url);

      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(titlesOf(res.body)).toEqual(['Page not found — Field Notes']);
      expect(firstElementText(res.body, 'h1')).toBe('Page not found');
      // Error pages are not indexed.
      expect(canonicalOf(res.body)).toBeUndefined();
      expect(stateOf(res.body).page).toMatchObject({ route: 'notFound' });
      expectNoInlineScript(res.body);
    },
  );

  it('shows the unknown path as text, never as markup', async () => {
    const res = await get('/%3Cimg%20src=x%20onerror=alert(1)%3E');

    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('<img src=x');
    expectNoInlineScript(res.body);
  });
});

describe('invalid post ids', () => {
  it.each([
    ['/posts/abc', 'must be an integer'],
    ['/posts/03', 'must be an integer'],
    ['/posts/0', 'must be ≥ 1'],
    ['/posts/1e3', 'must be an integer'],
    ['/posts/-1', 'must be ≥ 1'],
    ['/posts/1.5', 'must be an integer'],
    ['/posts/99999999999999999999', 'must be ≤ 1000000000'],
    ['/posts/abc/comments', 'must be an integer'],
    ['/posts/0/comments', 'must be ≥ 1'],
  ])('%s is a 400 with the app’s bad-request page', async (url, message) => {
    const res = await get(url);

    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(titlesOf(res.body)).toEqual(['Bad request — Field Notes']);
    expect(firstElementText(res.body, 'h1')).toBe('This address is not valid');
    expect(textOf(res.body)).toContain(`params.id ${message}`);
    expect(canonicalOf(res.body)).toBeUndefined();
    expect(stateOf(res.body).page).toEqual({
      route: 'badRequest',
      path: url,
      errors: [{ path: 'params.id', message }],
    });
    expectNoInlineScript(res.body);
  });

  it.each(['/posts/%E0%A4%A', '/posts/%', '/posts/%ZZ', '/%E0%A4%A'])(
    'malformed percent-encoding in %s is a client error, never a 500',
    async (url) => {
      const res = await get(url);

      expect(res.statusCode === 400 || res.statusCode === 404, `status ${res.statusCode}`).toBe(true);
      expect(res.body).not.toMatch(/\n\s+at /);
    },
  );
});

describe('the hostile title of post 7', () => {
  it('is escaped everywhere: head, body and serialized state', async () => {
    const res = await get('/posts/7');

    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/&lt;\/script(>|&gt;)/);
    expect(res.body).not.toContain('</script><script>alert(1)');
    expect(res.body.toLowerCase()).not.toContain('<script>alert');
    expect(titlesOf(res.body)[0]).toContain(XSS_TITLE);
    expect(firstElementText(res.body, 'h1')).toBe(XSS_TITLE);
    // The state block survives intact and round-trips the title exactly.
    expect(stateOf(res.body).postsById['7']!.title).toBe(XSS_TITLE);
    // Exactly the scripts the renderer writes: the state block and the module entry.
    expect(tags(res.body, 'script')).toHaveLength(2);
    expectNoInlineScript(res.body);
  });

  it('is escaped on the home page and the comments page too', async () => {
    for (const url of ['/', '/posts/7/comments']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('</script><script>alert(1)');
      expect(tags(res.body, 'script')).toHaveLength(2);
      expect(textOf(res.body)).toContain(XSS_TITLE);
    }
  });
});

describe('hashed client assets', () => {
  it('serves the module script with a year-long immutable cache and bytes matching its integrity', async () => {
    const page = (await get('/')).body;
    const script = tagsWith(page, 'script', { type: 'module' })[0]!;

    const res = await get(script.src!);

    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toMatch(/^(application|text)\/javascript\b/);
    expect(sha384(res.rawPayload)).toBe(script.integrity);
  });

  it('serves every preloaded module with bytes matching its integrity', async () => {
    const page = (await get('/posts/3')).body;
    for (const preload of tagsWith(page, 'link', { rel: 'modulepreload' })) {
      const res = await get(preload.href!);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(sha384(res.rawPayload)).toBe(preload.integrity);
    }
  });

  it('serves the stylesheet with a year-long immutable cache and bytes matching its integrity', async () => {
    const page = (await get('/')).body;
    const styles = tagsWith(page, 'link', { rel: 'stylesheet' });
    expect(styles.length).toBeGreaterThan(0);

    for (const css of styles) {
      const res = await get(css.href!);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-type']).toMatch(/^text\/css\b/);
      expect(sha384(res.rawPayload)).toBe(css.integrity);
    }
  });

  it('answers a missing asset with a plain 404, without rendering the app', async () => {
    const res = await get('/assets/entry-doesnotexist.js');

    expect(res.statusCode).toBe(404);
    expect(res.headers['cache-control'] ?? '').not.toContain('immutable');
    expect(res.body).not.toContain('<html');
  });

  it.each([
    '/assets/../package.json',
    '/assets/%2e%2e/package.json',
    '/assets/%2E%2E/%2E%2E/package.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/..%2F..%2F..%2Fpackage.json',
    '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/assets/..%252f..%252fpackage.json',
    '/assets/..%5c..%5cpackage.json',
    '/assets/....//....//package.json',
    '/assets/..%2fserver%2fapp.js',
    '/assets/%2e%2e/.vite/manifest.json',
    '/assets/..%2f.vite%2fmanifest.json',
    '/assets//etc/passwd',
    '/assets/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
  ])('never serves a file outside the assets folder for %s', async (url) => {
    const res = await get(url);

    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toContain('"@composable-svelte/example-blog"');
    expect(res.body).not.toContain('"workspaces"');
    expect(res.body).not.toContain('"isEntry"');
    expect(res.body).not.toContain('root:');
    expect(res.body).not.toContain('createBlogServer');
  });
});

describe('/health', () => {
  it('answers 200 {status: "ok"}, never cached', async () => {
    const res = await get('/health');

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('canonical URLs and the public origin', () => {
  it('come from PUBLIC_URL, never from a protocol-relative request target', async () => {
    const res = await get('//evil.example/posts/3');

    // An origin-form target starting with // is a path with an empty segment, not a host.
    expect(res.statusCode).toBe(404);
    expect(stateOf(res.body).origin).toBe(PUBLIC_URL);
    expect(res.body).not.toMatch(/<link[^>]+href="[^"]*evil\.example/);
    expect(res.body).not.toMatch(/https?:\/\/evil\.example/);
  });

  it('come from PUBLIC_URL, never from an absolute-form request target', async () => {
    const live = await app.createBlogServer({ env: { ...ENV }, config: { host: '127.0.0.1', port: 0 } });
    try {
      const address = new URL(await live.start());
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(address.port), address.hostname, () => {
          socket.write(
            'GET http://evil.example/posts/3 HTTP/1.1\r\nHost: blog.example.com\r\nConnection: close\r\n\r\n',
          );
        });
        let data = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (data += chunk));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);

      expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
      expect(canonicalOf(body)).toBe(`${PUBLIC_URL}/posts/3`);
      expect(stateOf(body).origin).toBe(PUBLIC_URL);
      expect(body.includes('evil.example'), 'the attacker’s host appears in the page').toBe(false);
    } finally {
      await live.close();
    }
  });
});

describe('SSR deadline and data failures', () => {
  function repository(overrides: Partial<PostsRepository>): PostsRepository {
    return { ...createInMemoryPostsRepository(), ...overrides };
  }

  it('answers 504 with the app’s error page when the data never arrives within ssrTimeoutMs', async () => {
    let signalled = false;
    const hanging = await app.createBlogServer({
      env: { ...ENV },
      config: { ssrTimeoutMs: 100 },
      repository: repository({
        getPost: () => {
          signalled = true;
          return new Promise<never>(() => {});
        },
      }),
    });
    try {
      const started = performance.now();
      const res = await hanging.inject({ method: 'GET', url: '/posts/1' });
      const elapsed = performance.now() - started;

      expect(signalled).toBe(true);
      expect(res.statusCode).toBe(504);
      expect(elapsed).toBeGreaterThanOrEqual(90);
      expect(elapsed).toBeLessThan(1000);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      const requestId = res.headers['x-request-id'] as string;
      expect(requestId).toMatch(UUID);

      expect(titlesOf(res.body)).toHaveLength(1);
      expect(firstElementText(res.body, 'h1')).toBe('504 Gateway Timeout');
      expect(textOf(res.body)).toContain(requestId);
      expect(canonicalOf(res.body)).toBeUndefined();
      expect(stateOf(res.body).page).toEqual({ route: 'error', status: 504, message: 'Gateway Timeout', requestId });
      expectNoInlineScript(res.body);

      // The server keeps serving other pages.
      expect((await hanging.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    } finally {
      await hanging.close();
    }
  });

  const SECRET = 'connect ECONNREFUSED postgres://blog:s3cr3t-pa55@10.0.0.5:5432/blog';

  async function withFailingList<T>(run: (failing: BlogServer) => Promise<T>): Promise<T> {
    const failing = await app.createBlogServer({
      env: { ...ENV },
      repository: repository({ listPosts: () => Promise.reject(new Error(SECRET)) }),
    });
    try {
      return await run(failing);
    } finally {
      await failing.close();
    }
  }

  it('answers a failed data load with a 5xx page that shows the failure and offers a retry', async () => {
    await withFailingList(async (failing) => {
      const res = await failing.inject({ method: 'GET', url: '/' });

      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toMatch(/role="alert"/);
      expect(textOf(res.body)).toContain('Could not load posts');
      expect(textOf(res.body)).toContain('Try again');
      expect(stateOf(res.body).load).toMatchObject({ status: 'failed', httpStatus: 503 });
      expectNoInlineScript(res.body);
    });
  });

  it('never shows the internal error message or a stack trace in production', async () => {
    await withFailingList(async (failing) => {
      const res = await failing.inject({ method: 'GET', url: '/' });

      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      expect(res.body).not.toMatch(/\n\s+at /);
      const state = stateOf(res.body);
      // Neither the visible page nor the serialized state may carry the repository's own message.
      expect(state.load.status === 'failed' ? state.load.message : '').not.toContain('ECONNREFUSED');
      for (const secret of ['ECONNREFUSED', 's3cr3t-pa55', '10.0.0.5']) {
        expect(res.body.includes(secret), `the page contains "${secret}" from the internal error`).toBe(false);
      }
    });
  });

  it('keeps other pages working while one data source fails', async () => {
    await withFailingList(async (failing) => {
      expect((await failing.inject({ method: 'GET', url: '/posts/3' })).statusCode).toBe(200);
    });
  });
});
