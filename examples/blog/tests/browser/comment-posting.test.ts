/**
 * A reader posts a comment in a real browser: with JavaScript the store sends it and the page
 * shows it without loading a new document; without JavaScript the browser posts the form and
 * follows the redirect to the comment. Either way the text is shown as typed: escaped, with its
 * line breaks.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectCleanPage } from './support/browser.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();

let readers = 0;

/** Comments need an account: sign up in this page's context (its cookies are the reader's). */
async function signUp(page: Page, name: string): Promise<void> {
  await page.goto(blog.url('/signup'));
  await page.locator('#signup-name').fill(name);
  await page.locator('#signup-email').fill(`commenter-${++readers}-${Date.now()}@example.org`);
  await page.locator('#signup-password').fill('quiet-harbour-lantern-58');
  await Promise.all([page.waitForEvent('load'), page.locator('main form button[type="submit"]').click()]);
  expect(new URL(page.url()).pathname).toBe('/');
}

const marker = (page: Page) => page.evaluate(() => (window as unknown as { __marker?: number }).__marker);
const commentItems = (page: Page) => page.locator('main ol.comments li.comment');

describe('posting a comment', () => {
  it('with JavaScript: sent by the store, shown at once, no document load', async () => {
    const { page, log } = await blog.open();
    await signUp(page, 'Ada');
    await page.goto(blog.url('/posts/10/comments'));
    const before = await commentItems(page).count();
    await page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 42;
    });

    await page.locator('main a[href="/posts/10/comments?write=1#comment-form"]').click();
    await page.waitForURL(blog.url('/posts/10/comments?write=1'));
    // The reader can type at once: the comment field has the focus (the name is the account's).
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('comment-body');
    expect(await page.locator('#comment-author').count()).toBe(0);
    expect(await page.locator('main .commenting-as').textContent()).toBe('Commenting as Ada');
    const body = page.locator('#comment-body');
    const button = page.locator('#comment-form button[type="submit"]');

    // Checked in the browser before anything is sent.
    await button.click();
    await expect.poll(() => page.locator('#comment-body-error').textContent()).toBe('Please write a comment.');

    await body.fill('First line\nsecond line <b>not bold</b>');
    // Hold the answer so the sending state can be seen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/posts/10/comments', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await held;
      return route.continue();
    });
    const answered = page.waitForResponse(
      (response) => response.url() === blog.url('/api/posts/10/comments') && response.request().method() === 'POST',
    );
    await button.click();
    await expect.poll(() => button.isDisabled()).toBe(true);
    expect(await button.textContent()).toBe('Posting…');
    release();
    expect((await answered).status()).toBe(201);

    await expect.poll(() => commentItems(page).count()).toBe(before + 1);
    const added = commentItems(page).last();
    expect(await added.locator('strong').textContent()).toBe('Ada');
    const text = added.locator('.comment-body');
    expect(await text.textContent()).toBe('First line\nsecond line <b>not bold</b>');
    expect(await text.locator('b').count()).toBe(0);
    // pre-line keeps the reader's line break on screen.
    expect(await text.evaluate((element) => (element as HTMLElement).innerText)).toBe(
      'First line\nsecond line <b>not bold</b>',
    );
    expect(await page.locator('main .status[role="status"]').textContent()).toBe('Thanks! Your comment is posted.');
    expect(await button.isDisabled()).toBe(false);
    expect(await body.inputValue()).toBe('');
    expect(await marker(page), 'posting the comment reloaded the document').toBe(42);
    expectCleanPage(log);
  });

  it('without JavaScript: the form posts, the browser follows the 303 to the comment', async () => {
    const { page } = await blog.open({ javaScriptEnabled: false });
    await signUp(page, 'Grace');
    await page.goto(blog.url('/posts/11/comments'));
    const before = await commentItems(page).count();
    await page.locator('main a[href="/posts/11/comments?write=1#comment-form"]').click();
    await page.waitForURL(blog.url('/posts/11/comments?write=1#comment-form'));

    await page.locator('#comment-body').fill('Written without\nJavaScript');
    const [response] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.locator('#comment-form button[type="submit"]').click(),
    ]);
    expect((await response!.request().redirectedFrom()?.response())?.status()).toBe(303);
    const landed = new URL(page.url());
    expect(landed.pathname).toBe('/posts/11/comments');
    expect(landed.hash).toMatch(/^#comment-\d+$/);

    expect(await commentItems(page).count()).toBe(before + 1);
    const added = page.locator(`main li${landed.hash}`);
    expect(await added.locator('strong').textContent()).toBe('Grace');
    expect(await added.locator('.comment-body').textContent()).toBe('Written without\nJavaScript');
  });

  it('signed out: the comments page offers sign-in, which comes back to the form', async () => {
    const { page } = await blog.load('/posts/12/comments', { javaScriptEnabled: false });
    await Promise.all([page.waitForEvent('load'), page.locator('main a', { hasText: 'Sign in to comment' }).click()]);
    expect(new URL(page.url()).search).toBe('?next=%2Fposts%2F12%2Fcomments%3Fwrite%3D1');
  });

  it('without JavaScript: a refused comment lands on a page that says what to correct', async () => {
    const { page } = await blog.open({ javaScriptEnabled: false });
    await signUp(page, 'Grace');
    await page.goto(blog.url('/posts/11/comments?write=1'));
    const [response] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.locator('#comment-form button[type="submit"]').click(),
    ]);
    expect(response?.status()).toBe(400);
    expect(await page.locator('main h1').textContent()).toBe('400 Please write a comment.');
  });
});
