/**
 * The RSS feed: a well-formed RSS 2.0 document with absolute links from PUBLIC_URL and hostile
 * text escaped, served from storage with an ETag (304 on a match), and rebuilt by its job, on
 * both database tiers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseTiers, eventually, type Tier } from '@composable-svelte/testing';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { FEED_REBUILD_JOB, type BlogJobs } from '../src/server/blog-jobs.js';
import { renderRss } from '../src/server/feed/rss.js';
import { loadBuiltApp } from './support/built-server.js';
import { elementTexts, xmlProblem } from './support/xml-well-formed.js';

const PUBLIC_URL = 'https://blog.example.com';
const HOSTILE = `Tom & Jerry's <script>alert("x")</script> ]]> \u0007bell 😀`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('renderRss', () => {
  it('escapes hostile text and drops what XML cannot carry', () => {
    const document = renderRss(
      { title: 'A & B', description: '<b>', origin: PUBLIC_URL, path: '/feed.xml', builtAt: new Date(0) },
      [
        {
          id: 7,
          title: HOSTILE,
          author: 'O"Brien',
          publishedAt: '2026-11-30T03:00:00.000Z',
          excerpt: '1 < 2',
          commentCount: 0,
          coverUrl: null,
        },
      ],
    );
    const elements: string[] = [];
    expect(xmlProblem(document, elements)).toBeUndefined();
    expect(elements.slice(0, 2)).toEqual(['rss', 'channel']);
    expect(elementTexts(document, 'title')).toEqual(['A & B', HOSTILE.replace('\u0007', '')]);
    expect(elementTexts(document, 'dc:creator')).toEqual(['O"Brien']);
    expect(elementTexts(document, 'link')).toEqual([`${PUBLIC_URL}/`, `${PUBLIC_URL}/posts/7`]);
    expect(elementTexts(document, 'pubDate')).toEqual(['Mon, 30 Nov 2026 03:00:00 GMT']);
    // The check fails for what escaping prevents.
    expect(xmlProblem(document.replace('&lt;script', '<script'))).toBeDefined();
    expect(xmlProblem(document.replace('Tom &amp;', 'Tom &'))).toBeDefined();
  });
});

async function databaseEnv(tier: Tier): Promise<Record<string, string>> {
  if (tier.name === 'postgres') {
    const fresh = await tier.fresh();
    cleanups.push(fresh.dispose);
    return { DATABASE_URL: fresh.url! };
  }
  const dir = mkdtempSync(join(tmpdir(), 'cs-blog-feed-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { DATABASE_DIR: join(dir, 'db') };
}

describe.each(await databaseTiers())('/feed.xml on $name', (tier) => {
  it('serves the stored feed with an ETag, and the rebuild job updates it', { timeout: 60_000 }, async () => {
    const app = await loadBuiltApp();
    const server = await app.createBlogServer({
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        PUBLIC_URL,
        SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
        LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
        LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
        ...(await databaseEnv(tier)),
      },
    });
    cleanups.push(() => server.close());

    const first = await server.inject('/feed.xml');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(xmlProblem(first.body)).toBeUndefined();
    const links = elementTexts(first.body, 'link');
    expect(links.length).toBeGreaterThan(1);
    for (const link of links) expect(link.startsWith(`${PUBLIC_URL}/`)).toBe(true);
    const home = await server.inject('/');
    expect(home.body).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Field Notes (RSS)" href="/feed.xml"',
    );

    const again = await server.inject({ url: '/feed.xml', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    // A new post is in the feed only once the job has rebuilt it.
    await server.database!.db.execute(
      sql`insert into posts (title, author, published_at, excerpt, body_html)
          values (${HOSTILE}, 'Mallory', now() + interval '1 day', 'x & y', '<p>x</p>')`,
    );
    expect((await server.inject('/feed.xml')).headers.etag).toBe(etag);
    const jobs = server.services.get('jobs') as BlogJobs;
    await jobs.enqueue(FEED_REBUILD_JOB, {});
    expect(await eventually(async () => (await server.inject('/feed.xml')).headers.etag !== etag, 15_000)).toBe(true);

    const rebuilt = await server.inject({ url: '/feed.xml', headers: { 'if-none-match': etag } });
    expect(rebuilt.statusCode).toBe(200);
    expect(xmlProblem(rebuilt.body)).toBeUndefined();
    expect(elementTexts(rebuilt.body, 'title')[1]).toBe(HOSTILE.replace('\u0007', ''));
    expect(rebuilt.body).not.toContain('<script>');
  });
});
