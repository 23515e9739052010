import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectCleanPage, failedLoadOf } from './support/browser.js';
import { expectClientNavigation, seedPost, SITE_NAME } from './support/content.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();

const headingText = async (page: Page) => ((await page.locator('main h1').textContent()) ?? '').trim();
const loadingStatus = (page: Page) => page.locator('main p.status[role="status"]');
const errorAlert = (page: Page) => page.locator('main [role="alert"]');

/**
 * Holds every request to `pattern` until release() (or a safety timeout, so a failing test cannot
 * hang), then lets it through to the real server.
 */
async function holdRequests(
  page: Page,
  pattern: string,
  answer: (route: Route) => Promise<void> = (route) => route.continue(),
) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const safety = setTimeout(() => release(), 10_000);
  safety.unref();
  let seen = 0;
  const handler = async (route: Route) => {
    seen++;
    await released;
    // The page may have aborted the request meanwhile; then there is nothing to answer.
    await answer(route).catch(() => {});
  };
  await page.route(pattern, handler);
  return {
    requests: () => seen,
    release: () => {
      clearTimeout(safety);
      release();
    },
  };
}

/** A 500 with an error body shaped like the API's own errors. */
const serverError = (message: string) => ({
  status: 500,
  contentType: 'application/json',
  body: JSON.stringify({ error: { message } }),
});

/** Answers `pattern` with a 500 until the returned function is called. */
async function failWith500(page: Page, pattern: string, message: string) {
  const handler = (route: Route) => route.fulfill(serverError(message));
  await page.route(pattern, handler);
  return () => page.unroute(pattern, handler);
}

describe('loading and error states during client-side navigation', () => {
  it('shows a loading status while the post is fetched, then the post', async () => {
    const post = seedPost(5);
    const { page, log } = await blog.load('/');
    const held = await holdRequests(page, '**/api/posts/5');

    await expectClientNavigation(page, '/posts/5', () => page.locator('main a[href="/posts/5"]').click());
    const status = loadingStatus(page);
    // The page's chunk may still be on its way ("Loading…"); then the post's data is awaited.
    await expect.poll(async () => (await status.textContent())?.trim()).toBe('Loading the post…');
    expect(held.requests()).toBe(1);
    expect(await page.locator('main article').count(), 'no post before its data arrives').toBe(0);

    held.release();
    await expect.poll(() => headingText(page)).toBe(post.title);
    await status.waitFor({ state: 'detached' });
    expect(await page.locator('main article p').first().textContent()).toContain('By ');
    expect(await page.title()).toBe(`${post.title} — ${SITE_NAME}`);
    expectCleanPage(log);
  });

  it('shows an error with "Try again" when the API fails, and recovers on retry', async () => {
    const post = seedPost(6);
    const { page, log } = await blog.load('/');
    const restore = await failWith500(page, '**/api/posts/6', 'The database is unavailable.');

    await expectClientNavigation(page, '/posts/6', () => page.locator('main a[href="/posts/6"]').click());
    const alert = errorAlert(page);
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain('Could not load the post: The database is unavailable.');
    const retry = alert.getByRole('button', { name: 'Try again' });
    await retry.waitFor({ state: 'visible' });
    expect(await page.locator('main article').count()).toBe(0);

    await restore();
    const responsePromise = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/posts/6');
    await retry.click();
    expect((await responsePromise).status()).toBe(200);
    await expect.poll(() => headingText(page)).toBe(post.title);
    await alert.waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe('/posts/6');
    expectCleanPage(log, { allowConsoleErrors: [failedLoadOf(blog.url('/api/posts/6'), 500)] });
  });

  it('a network failure is explained and can be retried', async () => {
    const post = seedPost(8);
    const { page, log } = await blog.load('/');
    const abort = (route: Route) => route.abort('internetdisconnected');
    await page.route('**/api/posts/8', abort);

    await page.locator('main a[href="/posts/8"]').click();
    const alert = errorAlert(page);
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toContain('Could not load the post: The network request failed.');

    await page.unroute('**/api/posts/8', abort);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => headingText(page)).toBe(post.title);
    expectCleanPage(log, { allowConsoleErrors: [(entry) => entry.url === blog.url('/api/posts/8')] });
  });

  it('a failed load does not tell the user that the post does not exist', async () => {
    const { page } = await blog.load('/');
    await failWith500(page, '**/api/posts/6', 'The database is unavailable.');
    await page.locator('main a[href="/posts/6"]').click();
    await errorAlert(page).waitFor({ state: 'visible' });
    // The page offers "Try again": the post exists, the server failed. The tab title must not say otherwise.
    expect(await page.title()).not.toMatch(/not found/i);
  });

  it('a newer navigation cancels an older load: its late failure does not reach the new page', async () => {
    const { page, log } = await blog.load('/');
    const stale = await holdRequests(page, '**/api/posts/5', (route) => route.fulfill(serverError('Too late.')));
    const current = await holdRequests(page, '**/api/posts/9');
    // The stale request ends either way: answered after release, or aborted by the cancellation.
    const staleEnded = new Promise<void>((resolve) => {
      const done = (request: { url(): string }) => {
        if (new URL(request.url()).pathname === '/api/posts/5') resolve();
      };
      page.on('requestfinished', done);
      page.on('requestfailed', done);
    });

    await page.locator('main a[href="/posts/5"]').click();
    await loadingStatus(page).waitFor({ state: 'visible' });
    await expectClientNavigation(page, '/', () => page.locator('main p.back a[href="/"]').click());
    await expect.poll(() => headingText(page)).toBe('Latest essays');
    await page.locator('main a[href="/posts/9"]').click();
    await page.waitForURL(blog.url('/posts/9'));
    await loadingStatus(page).waitFor({ state: 'visible' });

    stale.release();
    await staleEnded;
    // Let a (wrongly) delivered failure render before looking.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
    expect(await errorAlert(page).count(), 'the old failure showed on the new page').toBe(0);
    expect(await loadingStatus(page).count()).toBe(1);

    current.release();
    await expect.poll(() => headingText(page)).toBe(seedPost(9).title);
    expect(await errorAlert(page).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/posts/9');
    expectCleanPage(log, { allowConsoleErrors: [(entry) => entry.url === blog.url('/api/posts/5')] });
  });
});
