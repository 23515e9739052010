import { describe, expect, it } from 'vitest';
import { pageSource, readClientManifest } from '../support/client-build.js';
import { expectCleanPage } from './support/browser.js';
import { expectClientNavigation, mainHeading, seedPost } from './support/content.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();
const manifest = readClientManifest();
const chunkOf = (page: string) => `/${manifest[pageSource(page)]!.file}`;

describe('pages load as chunks of their own', () => {
  it('the home page fetches no other page until a link is pointed at, then navigates to it', async () => {
    const { page, log } = await blog.open();
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await page.goto(blog.url('/'), { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    expect(fetched).toContain(chunkOf('PostList'));
    expect(fetched).not.toContain(chunkOf('PostDetail'));

    const link = page.locator('main ol.post-list a[href^="/posts/"]').first();
    const href = (await link.getAttribute('href'))!;
    await link.hover();
    await expect
      .poll(() => fetched.includes(chunkOf('PostDetail')), {
        message: 'hovering fetched the post page',
        timeout: 10_000,
      })
      .toBe(true);

    await expectClientNavigation(page, href, () => link.click());
    await expect.poll(() => mainHeading(page), { timeout: 10_000 }).toBe(seedPost(Number(href.split('/')[2])).title);
    expectCleanPage(log);
  });

  it('a page reached through history loads its chunk on navigation', async () => {
    const { page, log } = await blog.load('/subscribe');
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    // The back/forward path dispatches straight from popstate: no link was hovered.
    await page.evaluate(() => history.pushState(null, '', '/posts/3'));
    await page.evaluate(() => history.pushState(null, '', '/subscribe'));
    await page.goBack();
    await expect.poll(() => mainHeading(page), { timeout: 10_000 }).toBe(seedPost(3).title);
    expect(fetched).toContain(chunkOf('PostDetail'));
    expectCleanPage(log);
  });
});
