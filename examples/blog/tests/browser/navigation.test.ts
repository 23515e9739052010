import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectCleanPage } from './support/browser.js';
import {
  allSeedPosts,
  expectClientNavigation,
  POST_WITH_COMMENTS,
  seedCommentsFor,
  seedPost,
  SITE_NAME,
} from './support/content.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();

const heading = (page: Page) => page.locator('main h1');
const headingText = async (page: Page) => ((await heading(page).textContent()) ?? '').trim();
const marker = (page: Page) => page.evaluate(() => (window as unknown as { __marker?: number }).__marker);
const path = (page: Page) => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

describe('client-side navigation', () => {
  it('list → post → back → forward without reloading the document', async () => {
    const { page, log } = await blog.load('/');
    const firstLink = page.locator('main ol.post-list a[href^="/posts/"]').first();
    const href = (await firstLink.getAttribute('href'))!;
    const title = ((await firstLink.textContent()) ?? '').trim();
    expect(href).toMatch(/^\/posts\/\d+$/);
    expect(title).toBe(seedPost(Number(href.split('/')[2])).title);

    await expectClientNavigation(page, href, () => firstLink.click());
    await expect.poll(() => headingText(page)).toBe(title);
    expect(await page.title()).toBe(`${title} — ${SITE_NAME}`);

    await page.goBack();
    await page.waitForURL(blog.url('/'));
    await expect.poll(() => headingText(page)).toBe('Latest essays');
    await page.locator('main ol.post-list').waitFor({ state: 'visible' });
    expect(await page.locator('main ol.post-list a[href^="/posts/"]').count()).toBe(allSeedPosts.length);
    expect(await marker(page), 'Back reloaded the document').toBe(42);

    await page.goForward();
    await page.waitForURL(blog.url(href));
    await expect.poll(() => headingText(page)).toBe(title);
    expect(await marker(page), 'Forward reloaded the document').toBe(42);
    expectCleanPage(log);
  });

  it('post → comments loads the comments from the API', async () => {
    const post = seedPost(POST_WITH_COMMENTS);
    const comments = seedCommentsFor(post.id);
    const { page, log } = await blog.load(`/posts/${post.id}`);
    const link = page.locator(`main a[href="/posts/${post.id}/comments"]`);
    expect(((await link.textContent()) ?? '').trim()).toBe(`Read ${comments.length} comments on “${post.title}”`);

    const commentsPath = `/api/posts/${post.id}/comments`;
    const responsePromise = page.waitForResponse((response) => new URL(response.url()).pathname === commentsPath);
    await expectClientNavigation(page, `/posts/${post.id}/comments`, () => link.click());
    const response = await responsePromise;
    expect(response.status()).toBe(200);

    const items = page.locator('main ol.comments > li.comment');
    await expect.poll(() => items.count()).toBe(comments.length);
    const texts = await items.allTextContents();
    for (const comment of comments) {
      expect(texts.some((text) => text.includes(comment.body) && text.includes(comment.author))).toBe(true);
    }
    expect(await headingText(page)).toContain(`“${post.title}”`);

    await page.goBack();
    await page.waitForURL(blog.url(`/posts/${post.id}`));
    await expect.poll(() => headingText(page)).toBe(post.title);
    expect(await marker(page)).toBe(42);
    expectCleanPage(log);
  });

  it('a post loaded directly can go to the list, which is fetched from the API', async () => {
    const { page, log } = await blog.load('/posts/1');
    const responsePromise = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/posts');
    await expectClientNavigation(page, '/', () => page.locator('main p.back a[href="/"]').click());
    expect((await responsePromise).status()).toBe(200);
    await expect.poll(() => page.locator('main ol.post-list a[href^="/posts/"]').count()).toBe(allSeedPosts.length);
    expect(await headingText(page)).toBe('Latest essays');
    expectCleanPage(log);
  });

  it('a modified click (Ctrl) is left to the browser and opens a new tab', async () => {
    const { context, page, log } = await blog.load('/');
    const link = page.locator('main ol.post-list a[href^="/posts/"]').first();
    const href = (await link.getAttribute('href'))!;
    const [tab] = await Promise.all([context.waitForEvent('page'), link.click({ modifiers: ['Control'] })]);
    await tab.waitForLoadState('load');
    expect(new URL(tab.url()).pathname).toBe(href);
    expect(path(page), 'the original tab stayed where it was').toBe('/');
    expect(await headingText(page)).toBe('Latest essays');
    expectCleanPage(log);
  });
});
