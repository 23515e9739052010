import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectCleanPage } from './support/browser.js';
import { expectClientNavigation, XSS_BODY_PAYLOAD, XSS_TITLE } from './support/content.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();

/** Every script element in the document, described enough to tell them apart. */
function scripts(page: Page) {
  return page.evaluate(() =>
    Array.from(document.scripts, (script) => ({
      type: script.type,
      id: script.id,
      src: script.getAttribute('src'),
      parent: script.parentElement?.tagName.toLowerCase() ?? null,
    })),
  );
}

/** Only the JSON state block and the one external module script: nothing a title could have added. */
async function expectOnlyAppScripts(page: Page): Promise<void> {
  const found = await scripts(page);
  expect(found, 'script elements in the document').toHaveLength(2);
  expect(
    found.filter((s) => s.type === 'application/json' && s.id === 'composable-state' && s.src === null),
  ).toHaveLength(1);
  const modules = found.filter((s) => s.type === 'module');
  expect(modules).toHaveLength(1);
  expect(modules[0]!.src).toMatch(/^\/assets\/entry-[\w-]+\.js$/);
}

async function expectTitleIsText(page: Page): Promise<void> {
  const h1 = page.locator('main h1');
  await expect.poll(async () => (await h1.textContent())?.trim()).toBe(XSS_TITLE);
  expect(await h1.evaluate((el) => el.children.length), 'markup inside the h1').toBe(0);
  expect(await page.title()).toContain('</script><script>alert(1)</script>');
}

describe('a hostile post title is text, never markup', () => {
  it('/posts/7 shows the title verbatim and runs nothing', async () => {
    const { page, log } = await blog.load('/posts/7');
    await page.waitForLoadState('networkidle');
    await expectTitleIsText(page);
    await expectOnlyAppScripts(page);
    expectCleanPage(log); // includes: no dialog, no page error
  });

  it('/ lists the title verbatim as link text and runs nothing', async () => {
    const { page, log } = await blog.load('/');
    await page.waitForLoadState('networkidle');
    const link = page.locator('main a[href="/posts/7"]');
    expect((await link.textContent())?.trim()).toBe(XSS_TITLE);
    expect(await link.evaluate((el) => el.children.length)).toBe(0);
    await expectOnlyAppScripts(page);
    expectCleanPage(log);
  });

  it('navigating to post 7 in the browser renders it as text too', async () => {
    const { page, log } = await blog.load('/');
    await expectClientNavigation(page, '/posts/7', () => page.locator('main a[href="/posts/7"]').click());
    await expectTitleIsText(page);
    const commentsLink = page.locator('main a[href="/posts/7/comments"]');
    expect(await commentsLink.textContent()).toContain(`“${XSS_TITLE}”`);
    await expectClientNavigation(page, '/posts/7/comments', () => commentsLink.click());
    await expect.poll(async () => (await page.locator('main h1').textContent()) ?? '').toContain(XSS_TITLE);
    expect(await page.locator('main h1').evaluate((el) => el.children.length)).toBe(0);
    await expectOnlyAppScripts(page);
    expectCleanPage(log);
  });

  it('an HTML payload quoted in a post body stays text (post 13)', async () => {
    const { page, log } = await blog.load('/posts/13');
    await page.waitForLoadState('networkidle');
    const paragraphs = await page.locator('main article .post-body p').allTextContents();
    expect(paragraphs.some((text) => text.includes(XSS_BODY_PAYLOAD))).toBe(true);
    expect(await page.locator('main img').count(), 'elements created from the payload').toBe(0);
    expect(await page.locator('[onerror]').count()).toBe(0);
    await expectOnlyAppScripts(page);
    expectCleanPage(log);
  });
});
