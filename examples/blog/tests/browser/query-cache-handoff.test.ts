import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectCleanPage } from './support/browser.js';
import { expectClientNavigation, POST_WITH_COMMENTS, seedPost } from './support/content.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();

/** Long enough for any request the hydrated app would make on its own to have started. */
const QUIET_MS = 1_500;

/** Every /api/* path the page requests from now on, in order. */
function recordApiRequests(page: Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) paths.push(pathname);
  });
  return paths;
}

const headingText = async (page: Page) => ((await page.locator('main h1').textContent()) ?? '').trim();

describe("the browser's query cache starts with what the server rendered", () => {
  it('after hydrating /posts/N, the page requests no data at all', async () => {
    const { page, log } = await blog.open();
    const requests = recordApiRequests(page);
    await page.goto(blog.url(`/posts/${POST_WITH_COMMENTS}`), { waitUntil: 'load' });
    await page.waitForTimeout(QUIET_MS);
    expect(await headingText(page)).toBe(seedPost(POST_WITH_COMMENTS).title);
    expect(requests).toEqual([]);
    expectCleanPage(log);
  });

  it('list → post → back: the post is fetched once, the list the server sent is not fetched again', async () => {
    const { page, log } = await blog.open();
    const requests = recordApiRequests(page);
    await page.goto(blog.url('/'), { waitUntil: 'load' });
    const link = page.locator(`main ol.post-list a[href="/posts/${POST_WITH_COMMENTS}"]`);

    await expectClientNavigation(page, `/posts/${POST_WITH_COMMENTS}`, () => link.click());
    await expect.poll(() => headingText(page)).toBe(seedPost(POST_WITH_COMMENTS).title);
    expect(requests).toEqual([`/api/posts/${POST_WITH_COMMENTS}`]);

    await page.goBack();
    await page.waitForURL(blog.url('/'));
    await expect.poll(() => headingText(page)).toBe('Latest essays');
    await page.goForward();
    await expect.poll(() => headingText(page)).toBe(seedPost(POST_WITH_COMMENTS).title);
    await page.waitForTimeout(QUIET_MS);
    expect(requests, 'going back and forth while fresh asked the server again').toEqual([
      `/api/posts/${POST_WITH_COMMENTS}`,
    ]);
    expectCleanPage(log);
  });
});
