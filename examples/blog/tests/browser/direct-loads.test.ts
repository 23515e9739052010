import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectCleanPage, failedLoadOf } from './support/browser.js';
import { allSeedPosts, POST_WITH_COMMENTS, seedCommentsFor, seedPost, SITE_NAME } from './support/content.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();

const headingText = async (page: Page) => ((await page.locator('main h1').textContent()) ?? '').trim();

describe('pages loaded directly from their address', () => {
  it('/ lists all posts, newest first', async () => {
    const { page, response, log } = await blog.load('/');
    expect(response.status()).toBe(200);
    expect(await headingText(page)).toBe('Latest essays');
    const links = page.locator('main ol.post-list > li a[href^="/posts/"]');
    const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    const newestFirst = [...allSeedPosts].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
    expect(hrefs).toEqual(newestFirst.map((post) => `/posts/${post.id}`));
    expect((await links.allTextContents()).map((text) => text.trim())).toEqual(newestFirst.map((post) => post.title));
    expectCleanPage(log);
  });

  it('/posts/3/comments shows the post’s comments', async () => {
    const post = seedPost(POST_WITH_COMMENTS);
    const comments = seedCommentsFor(post.id);
    const { page, response, log } = await blog.load(`/posts/${post.id}/comments`);
    expect(response.status()).toBe(200);
    const items = page.locator('main ol.comments > li.comment');
    expect(await items.count()).toBe(comments.length);
    for (const comment of comments) {
      const item = items.filter({ hasText: comment.body });
      expect(await item.count(), `comment ${comment.id}`).toBe(1);
      await item.waitFor({ state: 'visible' });
      expect(await item.locator('.meta strong').textContent()).toBe(comment.author);
      expect(await item.locator('time').getAttribute('datetime')).toBe(comment.createdAt);
    }
    expect(await page.locator(`main a[href="/posts/${post.id}"]`).textContent()).toContain('Back to the post');
    expect(await page.title()).toBe(`Comments on ${post.title} — ${SITE_NAME}`);
    expectCleanPage(log);
  });

  it('the comments heading reads “Comments on “title”” with a space between the words', async () => {
    const post = seedPost(POST_WITH_COMMENTS);
    const { page } = await blog.load(`/posts/${post.id}/comments`);
    expect(await headingText(page)).toBe(`Comments on “${post.title}”`);
  });

  it('/posts/999 (no such post) answers 404 and says the post does not exist', async () => {
    const { page, response, log } = await blog.load('/posts/999');
    expect(response.status()).toBe(404);
    expect(await page.title()).toBe(`Post not found — ${SITE_NAME}`);
    const alert = page.locator('main [role="alert"]');
    await alert.waitFor({ state: 'visible' });
    expect((await alert.textContent())?.trim()).toBe('This post does not exist.');
    expect(await alert.getByRole('button').count(), 'retrying cannot make a missing post appear').toBe(0);
    expect(await page.locator('main article').count()).toBe(0);
    expect(await page.locator('main a[href="/"]').count()).toBeGreaterThan(0);
    expectCleanPage(log, { allowConsoleErrors: [failedLoadOf(blog.url('/posts/999'), 404)] });
  });

  it('/posts/999 has a heading that says the page was not found', async () => {
    const { page } = await blog.load('/posts/999');
    expect(await headingText(page)).toMatch(/not found/i);
  });

  it.each(['/posts/abc', '/posts/03', '/posts/0'])('%s answers 400 with the bad-request page', async (path) => {
    const { page, response, log } = await blog.load(path);
    expect(response.status()).toBe(400);
    expect(await headingText(page)).toBe('This address is not valid');
    expect(await page.title()).toBe(`Bad request — ${SITE_NAME}`);
    expect(await page.locator('main p code').first().textContent()).toBe(path);
    expect(await page.locator('main ul li').count()).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname, 'the address is left as typed').toBe(path);
    expectCleanPage(log, { allowConsoleErrors: [failedLoadOf(blog.url(path), 400)] });
  });

  it('an unknown path answers 404 with the not-found page', async () => {
    const { page, response, log } = await blog.load('/does/not/exist');
    expect(response.status()).toBe(404);
    expect(await headingText(page)).toBe('Page not found');
    expect(await page.title()).toBe(`Page not found — ${SITE_NAME}`);
    expect(await page.locator('main code').first().textContent()).toBe('/does/not/exist');
    expect(new URL(page.url()).pathname).toBe('/does/not/exist');
    expectCleanPage(log, { allowConsoleErrors: [failedLoadOf(blog.url('/does/not/exist'), 404)] });
  });

  it('error pages are not indexable: no canonical link', async () => {
    for (const path of ['/does/not/exist', '/posts/abc']) {
      const { page } = await blog.load(path);
      expect(await page.locator('head link[rel="canonical"]').count(), path).toBe(0);
    }
    const { page } = await blog.load(`/posts/${POST_WITH_COMMENTS}`);
    expect(await page.locator('head link[rel="canonical"]').getAttribute('href')).toBe(
      blog.url(`/posts/${POST_WITH_COMMENTS}`),
    );
  });

  it('a missing post (404) has no canonical link either', async () => {
    const { page, response } = await blog.load('/posts/999');
    expect(response.status()).toBe(404);
    expect(await page.locator('head link[rel="canonical"]').count()).toBe(0);
  });
});
