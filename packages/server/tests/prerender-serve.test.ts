import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGrade, gradeResponse, OBSERVATORY_ORIGIN } from '@composable-svelte/doctor';
import { launchChromium } from './support/chromium.js';
import { buildSite, CLI, run, SITE_ENV, type BuiltSite } from './support/prerender-app.js';

/**
 * The prerender fixture app (tests/fixtures/prerender-app), built as an app is and prerendered by
 * the real command. `live` is its server as deployed, with the prerendered pages; `dynamic` is the
 * same build started before the prerender step ran, so it renders every page per request. The page
 * cache is off: only a prerendered page then carries a Last-Modified (the build's).
 */
const ENV = { ...SITE_ENV, CACHE_ENABLED: 'false' };
let site: BuiltSite;
let live: FastifyInstance;
let dynamic: FastifyInstance;
let builtAt: string;

type Factory = (options: { env: Record<string, string> }) => Promise<FastifyInstance>;

beforeAll(async () => {
  site = await buildSite();
  const module = (await import(/* @vite-ignore */ join(site.root, 'dist/server/app.js'))) as { default: Factory };
  dynamic = await module.default({ env: { ...ENV } });
  await dynamic.ready();
  const prerendered = await run(site.root, [CLI, 'prerender'], SITE_ENV);
  expect(prerendered.code, prerendered.output).toBe(0);
  builtAt = (JSON.parse(readFileSync(join(site.root, 'dist/prerendered/manifest.json'), 'utf8')) as { builtAt: string })
    .builtAt;
  live = await module.default({ env: { ...ENV } });
  await live.ready();
}, 120_000);

afterAll(async () => {
  await Promise.all([live?.close(), dynamic?.close()]);
  site?.remove();
});

const PRERENDERED = ['/', '/about', '/docs/intro', '/docs/api'];
/** Headers that belong to one response, not to the page. */
const PER_RESPONSE = [
  'date',
  'last-modified',
  'x-request-id',
  'connection',
  'keep-alive',
  'ratelimit-remaining',
  'ratelimit-reset',
];
const pageHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.includes(name)));

describe('prerendered pages are served as the dynamic render of the same URL', () => {
  it.each(PRERENDERED)('%s: the same bytes, ETag and headers (security headers and CSP included)', async (path) => {
    const get = (server: FastifyInstance) =>
      server.inject({ url: path, headers: { accept: 'text/html', 'accept-encoding': 'identity' } });
    const [served, rendered] = [await get(live), await get(dynamic)];
    expect(served.statusCode).toBe(200);
    // Served from the build: its Last-Modified is the build's.
    expect(served.headers['last-modified']).toBe(builtAt);
    expect(served.body).toBe(rendered.body);
    expect(served.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(pageHeaders(served.headers)).toEqual(pageHeaders(rendered.headers));
    for (const header of [
      'content-security-policy',
      'strict-transport-security',
      'x-content-type-options',
      'referrer-policy',
      'permissions-policy',
      'cross-origin-opener-policy',
    ]) {
      expect(served.headers[header], header).toBeTruthy();
    }
    expect(served.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(served.headers['cache-control']).toMatch(/^public/);
  });

  it.each(PRERENDERED)('%s: the Observatory grade of the dynamic render, A+', async (path) => {
    const grade = async (server: FastifyInstance) => {
      const response = await server.inject({ url: path, headers: { origin: OBSERVATORY_ORIGIN } });
      const url = `${SITE_ENV.PUBLIC_URL}${path}`;
      const result = gradeResponse({
        url,
        status: response.statusCode,
        headers: response.headers,
        body: response.body,
      });
      return { ...result, report: formatGrade(url, result) };
    };
    const [served, rendered] = [await grade(live), await grade(dynamic)];
    expect(served.grade, served.report).toBe('A+');
    expect(served.score, served.report).toBe(rendered.score);
  });

  it('sends the precompressed variants with their own strong ETags, and 304 for a matching one', async () => {
    const identity = await live.inject({ url: '/docs/api', headers: { 'accept-encoding': 'identity' } });
    const br = await live.inject({ url: '/docs/api', headers: { 'accept-encoding': 'br, gzip' } });
    const gzip = await live.inject({ url: '/docs/api', headers: { 'accept-encoding': 'gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(identity.body);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString('utf8')).toBe(identity.body);
    expect(br.headers.etag).toBe(`${String(identity.headers.etag).slice(0, -1)}-br"`);
    const again = await live.inject({
      url: '/docs/api',
      headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('renders what was not prerendered: a route without prerender, a query the page reads, an unknown URL', async () => {
    const search = await live.inject({ url: '/search?q=runes', headers: { accept: 'text/html' } });
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain('Results for runes');
    expect(search.headers['last-modified']).toBeUndefined();
    const missing = await live.inject({ url: '/docs/nope', headers: { accept: 'text/html' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('There is no doc');
    // A query the route table ignores does not make another page: the prerendered one is served.
    const ignored = await live.inject({ url: '/about?utm_source=mail', headers: { accept: 'text/html' } });
    expect(ignored.headers['last-modified']).toBe(builtAt);
  });

  it('writes each page with its .br, .gz and its state, the same bytes as the page’s data block', () => {
    const pages = join(site.root, 'dist/prerendered/pages');
    const html = readFileSync(join(pages, 'docs/api.html'), 'utf8');
    const state = readFileSync(join(pages, 'docs/api.state.json'), 'utf8');
    expect(html).toContain(`<script type="application/json" id="composable-state">${state}</script>`);
    expect(JSON.parse(state)).toMatchObject({ page: 'doc', title: 'API', status: 200 });
    expect(brotliDecompressSync(readFileSync(join(pages, 'docs/api.html.br'))).toString('utf8')).toBe(html);
    expect(gunzipSync(readFileSync(join(pages, 'docs/api.html.gz'))).toString('utf8')).toBe(html);
  });

  it('answers from the index it read at start-up, without touching the files again', async () => {
    const before = await live.inject({ url: '/about', headers: { 'accept-encoding': 'identity' } });
    rmSync(join(site.root, 'dist/prerendered'), { recursive: true });
    const after = await live.inject({ url: '/about', headers: { 'accept-encoding': 'identity' } });
    expect(after.statusCode).toBe(200);
    expect(after.headers['last-modified']).toBe(builtAt);
    expect(after.body).toBe(before.body);
  });
});

describe('a prerendered page in Chromium', () => {
  let browser: Browser;
  let origin: string;
  beforeAll(async () => {
    browser = await launchChromium();
    origin = await live.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('hydrates the server markup without errors and responds to clicks', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    // Chromium warns about Permissions-Policy features it does not know; the policy is the server's own.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(`console: ${message.text()}`);
    });
    // The fixture has no favicon: the browser's own request for one is the only 404 allowed.
    page.on('response', (response) => {
      if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico')
        problems.push(`${response.status()} ${response.url()}`);
    });
    // Keep the server's heading before any script runs, to prove hydration adopted it.
    await page.addInitScript(() => {
      document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive')
          (window as unknown as { ssrTitle: Element | null }).ssrTitle = document.getElementById('title');
      });
    });
    const response = await page.goto(`${origin}/docs/api`);
    expect(response!.status()).toBe(200);
    expect((await response!.allHeaders())['last-modified']).toBe(builtAt);
    await page.waitForSelector('html[data-hydrated="true"]');
    expect(
      await page.evaluate(
        () => (window as unknown as { ssrTitle: Element | null }).ssrTitle === document.getElementById('title'),
      ),
    ).toBe(true);
    expect(await page.textContent('#title')).toBe('API');
    await page.click('#click');
    await page.click('#click');
    expect(await page.textContent('#clicks')).toBe('2');
    expect(problems).toEqual([]);
    await page.close();
  });
});
