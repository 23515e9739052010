/**
 * Live comments in real browsers: a comment posted in one page appears in another page open on
 * the same post without a reload, once in each (the posting page included); both pages count
 * their readers; a page that goes offline says so in its polite live region, and once back it has
 * every comment written meanwhile, each once.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBlog } from './support/harness.js';

const blog = useBlog();

/** How long a wait for the live connection (open, presence, an event) may take; a bound, not a measure. */
const WAIT = { timeout: 10_000 };

let writers = 0;

async function signUp(page: Page, name: string): Promise<void> {
  await page.goto(blog.url('/signup'));
  await page.locator('#signup-name').fill(name);
  await page.locator('#signup-email').fill(`live-${++writers}-${Date.now()}@example.org`);
  await page.locator('#signup-password').fill('quiet-harbour-lantern-58');
  await Promise.all([page.waitForEvent('load'), page.locator('main form button[type="submit"]').click()]);
}

/** The form page of `postId`, hydrated, with the live connection open. */
async function writer(postId: number) {
  const { page } = await blog.open();
  await signUp(page, 'Writer');
  await page.goto(blog.url(`/posts/${postId}/comments?write=1`));
  await expect.poll(() => page.locator('main .readers').count(), WAIT).toBe(1);
  return page;
}

async function post(page: Page, postId: number, body: string): Promise<void> {
  await page.locator('#comment-body').fill(body);
  const answered = page.waitForResponse(
    (response) =>
      response.url() === blog.url(`/api/posts/${postId}/comments`) && response.request().method() === 'POST',
  );
  await page.locator('#comment-form button[type="submit"]').click();
  expect((await answered).status()).toBe(201);
}

const bodies = (page: Page) => page.locator('main ol.comments li.comment .comment-body').allTextContents();
const count = (texts: readonly string[], text: string) => texts.filter((one) => one === text).length;

describe('live comments', () => {
  it('a comment posted in one page appears in the other without a reload, once in each; both count two readers', async () => {
    const { page: reader } = await blog.load('/posts/14/comments');
    await reader.evaluate(() => ((window as unknown as { __marker: number }).__marker = 7));
    const author = await writer(14);
    for (const page of [reader, author]) {
      await expect.poll(() => page.locator('main .readers').textContent(), WAIT).toBe('2 reading now');
    }

    await post(author, 14, 'Seen live in the other tab');
    for (const page of [reader, author]) {
      await expect.poll(async () => count(await bodies(page), 'Seen live in the other tab'), WAIT).toBe(1);
    }
    // The posting page reloads its list after the answer: still once.
    await author.waitForLoadState('networkidle');
    expect(count(await bodies(author), 'Seen live in the other tab')).toBe(1);
    expect(await reader.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(7);
  });

  it('a page that was offline says so, and once back has every comment written meanwhile, each once', async () => {
    const { page: reader, context } = await blog.load('/posts/15/comments');
    const author = await writer(15);
    await expect.poll(() => reader.locator('main .readers').textContent(), WAIT).toBe('2 reading now');
    const status = reader.locator('main .live-status [role="status"]');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await status.textContent()).toBe('');

    await post(author, 15, 'Before going offline');
    await expect.poll(async () => count(await bodies(reader), 'Before going offline'), WAIT).toBe(1);

    await context.setOffline(true);
    await expect
      .poll(() => status.textContent(), WAIT)
      .toBe('You are offline. New comments will appear when you are back online.');
    await post(author, 15, 'Written while the reader was offline');
    await post(author, 15, 'And another one');
    await context.setOffline(false);

    for (const text of ['Before going offline', 'Written while the reader was offline', 'And another one']) {
      await expect.poll(async () => count(await bodies(reader), text), { ...WAIT, message: text }).toBe(1);
    }
    await expect.poll(() => status.textContent(), WAIT).toBe('');
  });
});
