import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryPostsRepository } from '../src/server/in-memory-posts-repository.js';
import { loadBuiltApp } from './support/built-server.js';
import { ENTRY, pageSource, readClientManifest, staticClosure } from './support/client-build.js';

type AppModule = Awaited<ReturnType<typeof loadBuiltApp>>;
type BlogServer = Awaited<ReturnType<AppModule['createBlogServer']>>;

const ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://blog.example.com',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
  // A busy test machine must not turn these requests away.
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
} as const;
const manifest = readClientManifest();
const PAGES = ['PostList', 'PostDetail', 'Comments', 'Subscribe', 'NotFound', 'BadRequest', 'Account', 'Login'];

let server: BlogServer;

beforeAll(async () => {
  const app = await loadBuiltApp();
  server = await app.createBlogServer({ repository: createInMemoryPostsRepository(), env: { ...ENV } });
});

afterAll(async () => {
  await server?.close();
});

const preloadsOf = (html: string): string[] =>
  [...html.matchAll(/<link rel="modulepreload" href="\/([^"]+)"/g)].map((match) => match[1]!);

describe('each page is a chunk of its own, preloaded only where it is shown', () => {
  it('the client build splits every page out of the entry', () => {
    const entryFiles = staticClosure(manifest, ENTRY);
    for (const page of PAGES) {
      const chunk = manifest[pageSource(page)];
      expect(chunk, `${page} has its own chunk`).toBeDefined();
      expect(entryFiles, `${page} is not loaded by the entry`).not.toContain(chunk!.file);
    }
  });

  it.each([
    { url: '/', page: 'PostList', status: 200 },
    { url: '/posts/3', page: 'PostDetail', status: 200 },
    { url: '/posts/3/comments', page: 'Comments', status: 200 },
    { url: '/subscribe', page: 'Subscribe', status: 200 },
    { url: '/no/such/page', page: 'NotFound', status: 404 },
    { url: '/posts/abc', page: 'BadRequest', status: 400 },
  ])('$url preloads the entry and the $page chunk, and no other page', async ({ url, page, status }) => {
    const response = await server.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(status);
    const preloads = preloadsOf(response.body);
    expect(preloads).toEqual(expect.arrayContaining(staticClosure(manifest, ENTRY)));
    expect(preloads).toContain(manifest[pageSource(page)]!.file);
    const otherPages = PAGES.filter((other) => other !== page).map((other) => manifest[pageSource(other)]!.file);
    expect(preloads.filter((file) => otherPages.includes(file))).toEqual([]);
    expect(new Set(preloads).size, 'no chunk preloaded twice').toBe(preloads.length);
  });

  it.each([
    { url: '/', features: [] },
    { url: '/posts/3', features: ['live-reducer'] },
    { url: '/posts/3/comments', features: ['comment-reducer', 'live-reducer'] },
    { url: '/subscribe', features: ['subscribe-reducer'] },
  ])('$url preloads the features its page shows, and no other', async ({ url, features }) => {
    const all = ['subscribe-reducer', 'comment-reducer', 'live-reducer'];
    const chunks = Object.fromEntries(all.map((name) => [name, manifest[`src/shared/${name}.ts`]!.file]));
    for (const name of all)
      expect(staticClosure(manifest, ENTRY), `${name} is not in the entry`).not.toContain(chunks[name]);
    const preloads = preloadsOf((await server.inject({ method: 'GET', url })).body);
    for (const name of all)
      expect(preloads.includes(chunks[name]!), `${url} preloads ${name}`).toBe(features.includes(name));
  });

  it('every preloaded chunk is served with the integrity the page announces', async () => {
    const html = (await server.inject({ method: 'GET', url: '/posts/3' })).body;
    const links = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)" integrity="([^"]+)"/g)];
    expect(links.length).toBeGreaterThan(1);
    for (const [, href, integrity] of links) {
      const response = await server.inject({ method: 'GET', url: href! });
      expect(response.statusCode, href).toBe(200);
      expect(`sha384-${createHash('sha384').update(response.rawPayload).digest('base64')}`).toBe(integrity);
    }
  });
});
