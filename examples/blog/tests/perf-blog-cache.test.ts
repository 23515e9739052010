/**
 * The blog's production build behind the page cache: public pages are stored and served again
 * without touching the repository, the subscribe form stays private, and post pages are tagged
 * so one post can be invalidated without the others. Also the precompressed client build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryPostsRepository } from '../src/server/in-memory-posts-repository.js';
import type { PostsRepository } from '../src/shared/model.js';
import { blogRoot, loadBuiltApp } from './support/built-server.js';

type AppModule = Awaited<ReturnType<typeof loadBuiltApp>>;
type BlogServer = Awaited<ReturnType<AppModule['createBlogServer']>>;

const METRICS_TOKEN = 'perf-blog-metrics-token-0123456789';
const ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://blog.example.com',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
  RATE_LIMIT_MAX: '100000',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
  METRICS_TOKEN,
} as const;

const PAGE_PRESET = 'public, max-age=60, stale-while-revalidate=600';

/** The seed repository, counting every read: a page served from the cache reads nothing. */
function countingRepository() {
  const inner = createInMemoryPostsRepository();
  const reads: string[] = [];
  const repository: PostsRepository = {
    listPosts: () => {
      reads.push('listPosts');
      return inner.listPosts();
    },
    getPost: (id) => {
      reads.push(`getPost:${id}`);
      return inner.getPost(id);
    },
    listComments: (id) => {
      reads.push(`listComments:${id}`);
      return inner.listComments(id);
    },
    addComment: (id, comment) => inner.addComment(id, comment),
    createPost: (post) => inner.createPost(post),
    getPostSource: (id) => inner.getPostSource(id),
    updatePost: (id, edit) => inner.updatePost(id, edit),
  };
  return { repository, reads };
}

let app: AppModule;
const servers: BlogServer[] = [];

beforeAll(async () => {
  app = await loadBuiltApp();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function start() {
  const { repository, reads } = countingRepository();
  const server = await app.createBlogServer({ repository, env: { ...ENV } });
  servers.push(server);
  return { server, reads };
}

async function cacheEvents(server: BlogServer): Promise<Record<string, number>> {
  const response = await server.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.statusCode).toBe(200);
  const events: Record<string, number> = {};
  for (const match of response.body.matchAll(/^\w*page_cache_events_total\{[^}]*event="([^"]+)"[^}]*\}\s+(\S+)$/gm))
    events[match[1]!] = Number(match[2]);
  return events;
}

describe('blog pages behind the page cache', () => {
  it('`/` and `/posts/3` are public, stored, and the second request is served from the cache', async () => {
    const { server, reads } = await start();
    const store = server.pageCache!.store;
    for (const url of ['/', '/posts/3']) {
      const first = await server.inject(url);
      expect(first.statusCode, url).toBe(200);
      expect(first.headers['cache-control'], url).toBe(PAGE_PRESET);
      expect(first.headers['set-cookie'], url).toBeUndefined();
      expect(first.headers.etag, url).toMatch(/^"[^"]+"$/);
      const entry = await store.get(`GET ${url}`);
      expect(entry, url).toBeDefined();
      expect(entry!.body.equals(first.rawPayload), url).toBe(true);

      const readsBefore = reads.length;
      const hitsBefore = (await cacheEvents(server)).hit ?? 0;
      const second = await server.inject(url);
      expect(second.statusCode, url).toBe(200);
      expect(second.rawPayload.equals(first.rawPayload), url).toBe(true);
      expect(second.headers.etag, url).toBe(first.headers.etag);
      expect(second.headers['last-modified'], url).toBe(entry!.lastModified);
      expect(reads.length, `${url} read ${reads.slice(readsBefore).join(', ')}`).toBe(readsBefore);
      expect((await cacheEvents(server)).hit, url).toBe(hitsBefore + 1);
    }
    expect(reads).toEqual(['listPosts', 'getPost:3']);
  });

  it('a cached post answers If-None-Match with a 304 that keeps its CSP and validators', async () => {
    const { server } = await start();
    const full = await server.inject({ url: '/posts/3', headers: { 'accept-encoding': 'br' } });
    expect(full.headers['content-encoding']).toBe('br');
    expect(full.headers.etag).toMatch(/-br"$/);
    const notModified = await server.inject({
      url: '/posts/3',
      headers: { 'accept-encoding': 'br', 'if-none-match': full.headers.etag as string },
    });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
    expect(notModified.headers.etag).toBe(full.headers.etag);
    expect(notModified.headers['cache-control']).toBe(PAGE_PRESET);
    expect(notModified.headers.vary).toBe(full.headers.vary);
    expect(notModified.headers['content-security-policy']).toBe(full.headers['content-security-policy']);
    expect(
      brotliDecompressSync(full.rawPayload).equals((await server.pageCache!.store.get('GET /posts/3'))!.body),
    ).toBe(true);
  });

  it('`/subscribe` is `private, no-store` with its own CSRF cookie, and never cached', async () => {
    const { server } = await start();
    const tokens = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const response = await server.inject('/subscribe');
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(String(response.headers['set-cookie'])).toMatch(/^__Host-cs_csrf=/);
      const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
      expect(token).toBeTruthy();
      tokens.add(token!);
    }
    expect(tokens.size).toBe(2);
    expect(await server.pageCache!.store.get('GET /subscribe')).toBeUndefined();
    const events = await cacheEvents(server);
    expect(events.hit ?? 0).toBe(0);
    expect(events.store ?? 0).toBe(0);
  });

  it('pages are tagged: invalidate({ tag: "post:3" }) drops /posts/3 and its comments, not /posts/4 or /', async () => {
    const { server, reads } = await start();
    const cache = server.pageCache!;
    const urls = ['/', '/posts/3', '/posts/3/comments', '/posts/4'];
    for (const url of urls) expect((await server.inject(url)).statusCode, url).toBe(200);
    expect((await cache.store.get('GET /'))!.tags).toEqual(['posts']);
    for (const [url, id] of [
      ['/posts/3', 3],
      ['/posts/3/comments', 3],
      ['/posts/4', 4],
    ] as const) {
      expect([...(await cache.store.get(`GET ${url}`))!.tags].sort(), url).toEqual([`post:${id}`, 'posts'].sort());
    }

    expect(await cache.invalidate({ tag: 'post:3' })).toBe(2);
    expect(await cache.store.get('GET /posts/3')).toBeUndefined();
    expect(await cache.store.get('GET /posts/3/comments')).toBeUndefined();
    expect(await cache.store.get('GET /posts/4')).toBeDefined();
    expect(await cache.store.get('GET /')).toBeDefined();

    // The dropped pages are read from the repository again; the others are not.
    const before = reads.length;
    for (const url of urls) await server.inject(url);
    expect(reads.slice(before).sort()).toEqual(['getPost:3', 'getPost:3', 'listComments:3'].sort());

    expect(await cache.invalidate({ tag: 'posts' })).toBe(4);
    for (const url of urls) expect(await cache.store.get(`GET ${url}`), url).toBeUndefined();
  });

  it('not-found posts and bad URLs are not cached', async () => {
    const { server } = await start();
    for (const url of ['/posts/999999', '/posts/abc', '/no/such/page']) {
      const response = await server.inject(url);
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.headers['cache-control'], url).toBe('no-store');
      expect(await server.pageCache!.store.get(`GET ${url}`), url).toBeUndefined();
    }
  });
});

describe('the blog client build is precompressed', () => {
  const clientDir = join(blogRoot, 'dist', 'client');

  it('every script the first page loads has .br and .gz next to it (below 1 KB: none), served as they are with immutable caching', async () => {
    const manifest = JSON.parse(readFileSync(join(clientDir, '.vite', 'manifest.json'), 'utf8')) as Record<
      string,
      { file: string; isEntry?: boolean; imports?: string[] }
    >;
    const entry = Object.values(manifest).find((chunk) => chunk.isEntry)!;
    expect(entry).toBeDefined();
    const scripts = [entry.file, ...(entry.imports ?? []).map((key) => manifest[key]!.file)];
    for (const file of scripts) {
      const path = join(clientDir, file);
      const small = readFileSync(path).length < 1024;
      expect(existsSync(`${path}.br`), file).toBe(!small);
      expect(existsSync(`${path}.gz`), file).toBe(!small);
    }
    // The largest of them (the shared chunk) as the server sends it.
    const largest = scripts.reduce((a, b) =>
      readFileSync(join(clientDir, a)).length >= readFileSync(join(clientDir, b)).length ? a : b,
    );
    const path = join(clientDir, largest);

    const { server } = await start();
    const response = await server.inject({ url: `/${largest}`, headers: { 'accept-encoding': 'br' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(String(response.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.rawPayload.equals(readFileSync(`${path}.br`))).toBe(true);
    expect(brotliDecompressSync(response.rawPayload).equals(readFileSync(path))).toBe(true);
  });

  it('the build wrote a bundle report whose JS total matches the files', () => {
    const report = JSON.parse(readFileSync(join(clientDir, '.vite', 'bundle-report.json'), 'utf8')) as {
      files: { file: string; bytes: number }[];
      jsByOrigin: Record<'app' | 'framework' | 'svelte' | 'other', number>;
      totals: { js: number };
    };
    const js = report.files.filter((f) => f.file.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    for (const file of report.files)
      expect(readFileSync(join(clientDir, file.file)).length, file.file).toBe(file.bytes);
    expect(report.totals.js).toBe(js.reduce((total, f) => total + f.bytes, 0));
    expect(report.jsByOrigin.app).toBeGreaterThan(0);
    expect(report.jsByOrigin.framework).toBeGreaterThan(0);
    expect(report.jsByOrigin.svelte).toBeGreaterThan(0);
  });
});
