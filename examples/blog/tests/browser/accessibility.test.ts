import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POST_WITH_COMMENTS, seedPost } from './support/content.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();

const pages = [
  '/',
  `/posts/${POST_WITH_COMMENTS}`,
  `/posts/${POST_WITH_COMMENTS}/comments`,
  `/posts/${POST_WITH_COMMENTS}/comments?write=1`,
  '/posts/999',
  '/posts/abc',
  '/does/not/exist',
];

/** Describes the element that has focus. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', id: '', className: '', text: '' };
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      className: typeof el.className === 'string' ? el.className : '',
      text: (el.textContent ?? '').trim().slice(0, 80),
    };
  });
}

describe('accessibility basics', () => {
  it.each(pages)('%s has the landmarks, one h1, a language and named links', async (path) => {
    const { page } = await blog.load(path);
    const facts = await page.evaluate(() => {
      const app = document.getElementById('app');
      const unnamedLinks = Array.from(document.querySelectorAll('a'))
        .filter((a) => !(a.textContent ?? '').trim() && !(a.getAttribute('aria-label') ?? '').trim())
        .map((a) => a.outerHTML);
      return {
        lang: document.documentElement.getAttribute('lang'),
        title: document.title,
        mains: document.querySelectorAll('main').length,
        h1s: document.querySelectorAll('h1').length,
        // The page's own banner and contentinfo: header/footer not nested in article, main, etc.
        banners: app?.querySelectorAll(':scope > header').length ?? 0,
        contentinfos: app?.querySelectorAll(':scope > footer').length ?? 0,
        navLabels: Array.from(document.querySelectorAll('nav'), (nav) => nav.getAttribute('aria-label')),
        unnamedLinks,
        mainId: document.querySelector('main')?.id ?? null,
      };
    });
    expect(facts.lang).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/);
    expect(facts.title.trim()).not.toBe('');
    expect(facts.mains).toBe(1);
    expect(facts.h1s).toBe(1);
    expect(facts.banners).toBe(1);
    expect(facts.contentinfos).toBe(1);
    expect(facts.navLabels.length).toBeGreaterThan(0);
    for (const label of facts.navLabels) expect(label?.trim()).toBeTruthy();
    expect(facts.unnamedLinks).toEqual([]);
    expect(facts.mainId).toBe('main');
  });

  it('the first Tab focuses the skip link, which moves focus to the main content', async () => {
    const { page } = await blog.load(`/posts/${POST_WITH_COMMENTS}`);
    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first).toMatchObject({ tag: 'a', className: 'skip-link', text: 'Skip to content' });
    expect(await page.locator('a.skip-link').getAttribute('href')).toBe('#main');
    // Focused, the skip link is on screen (it hides off-screen otherwise).
    const box = await page.locator('a.skip-link').boundingBox();
    expect(box && box.y >= 0 && box.height > 0).toBe(true);

    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page).then((f) => f.id)).toBe('main');
    // The next Tab continues inside the main content, past the header links.
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => document.querySelector('main')?.contains(document.activeElement) ?? false);
    expect(next).toBe(true);
  });

  it('after an in-app navigation to a page already in memory, focus is on its heading', async () => {
    const post = seedPost(POST_WITH_COMMENTS);
    const { page } = await blog.load('/');
    await page.locator(`main a[href="/posts/${post.id}"]`).click();
    await page.locator('main article h1').waitFor({ state: 'visible' });
    // The list is already loaded: going back to it renders at once.
    await page.locator('main p.back a[href="/"]').click();
    await expect.poll(async () => (await page.locator('main h1').textContent())?.trim()).toBe('Latest essays');
    expect(await focused(page)).toMatchObject({ tag: 'h1', text: 'Latest essays' });
  });

  it('after an in-app navigation to a post that had to be fetched, focus is on its heading', async () => {
    const post = seedPost(POST_WITH_COMMENTS);
    const { page } = await blog.load('/');
    await page.locator(`main a[href="/posts/${post.id}"]`).click();
    await page.locator('main article h1').waitFor({ state: 'visible' });
    expect(await focused(page)).toMatchObject({ tag: 'h1', text: post.title });
  });
});
