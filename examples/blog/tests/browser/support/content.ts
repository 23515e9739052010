import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { seedComments, seedPosts, type SeedPost } from '../../../src/server/data/seed.js';

/** The seed content is the oracle: what the pages must show, independent of the API that serves it. */
export const XSS_TITLE = 'Why </script><script>alert(1)</script> in a title is harmless here';
export const XSS_BODY_PAYLOAD = '<img src=x onerror=alert(1)>';
export const POST_WITH_COMMENTS = 3;
export const SITE_NAME = 'Field Notes';

export function seedPost(id: number): SeedPost {
  const post = seedPosts.find((candidate) => candidate.id === id);
  if (!post) throw new Error(`No seed post ${id}`);
  return post;
}

export function seedCommentsFor(postId: number) {
  return seedComments.filter((comment) => comment.postId === postId);
}

export const allSeedPosts = seedPosts;

/** Text as it appears in HTML text content: Svelte escapes `&` and `<` there. */
export function asHtmlText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
}

/** The trimmed text of the single h1 in main, failing if there is not exactly one. */
export async function mainHeading(page: Page): Promise<string> {
  const heading = page.locator('main h1');
  await expect.poll(() => heading.count()).toBe(1);
  return ((await heading.textContent()) ?? '').trim();
}

/**
 * Marks the current document, runs `act`, waits for `path`, and checks the marker survived: the
 * app handled the navigation itself instead of the browser loading a new document.
 */
export async function expectClientNavigation(page: Page, path: string, act: () => Promise<unknown>): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __marker: number }).__marker = 42;
  });
  await act();
  await page.waitForURL((url) => url.pathname + url.search === path);
  const marker = await page.evaluate(() => (window as unknown as { __marker?: number }).__marker);
  expect(marker, `navigation to ${path} reloaded the document`).toBe(42);
}
