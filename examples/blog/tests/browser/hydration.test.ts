import { describe, expect, it } from 'vitest';
import { expectCleanPage, failedLoadOf } from './support/browser.js';
import { expectClientNavigation, POST_WITH_COMMENTS, seedPost } from './support/content.js';
import { useBlog } from './support/harness.js';
import { HYDRATION_PROBE, hydrationReport } from './support/hydration-probe.js';

const blog = useBlog();

const firstPostHref = 'main ol.post-list a[href^="/posts/"]';
const brandLink = 'header.site-header a.brand';

const cases: { path: string; status: number; link: string }[] = [
  { path: '/', status: 200, link: firstPostHref },
  { path: `/posts/${POST_WITH_COMMENTS}`, status: 200, link: brandLink },
  { path: `/posts/${POST_WITH_COMMENTS}/comments`, status: 200, link: brandLink },
  { path: '/posts/7', status: 200, link: brandLink },
  { path: '/posts/999', status: 404, link: brandLink },
  { path: '/posts/abc', status: 400, link: brandLink },
  { path: '/does/not/exist', status: 404, link: brandLink },
  // The French interface hydrates the same way, and its links stay in French.
  { path: '/fr', status: 200, link: 'main ol.post-list a[href^="/fr/posts/"]' },
  { path: `/fr/posts/${POST_WITH_COMMENTS}`, status: 200, link: 'main .post-footer a[href^="/fr/posts/"]' },
  { path: `/fr/posts/${POST_WITH_COMMENTS}/comments`, status: 200, link: brandLink },
  { path: '/fr/does/not/exist', status: 404, link: brandLink },
  // A sign-in page shows the member messages too, which load with its chunk before hydrating.
  { path: '/login', status: 200, link: brandLink },
  { path: '/fr/login', status: 200, link: brandLink },
];

describe('the browser hydrates the server markup instead of re-rendering it', () => {
  it.each(cases)('$path keeps every server-rendered node', async ({ path, status, link }) => {
    const { page, log, response } = await blog.load(path, { initScript: HYDRATION_PROBE });
    expect(response.status()).toBe(status);
    await page.waitForLoadState('networkidle');

    const report = await hydrationReport(page);
    expect(report.snapshotTaken, 'the probe saw the parsed document').toBe(true);
    expect(report.ssrElementCount, 'server-rendered elements under #app').toBeGreaterThan(10);
    expect(report.removed, 'elements removed from #app during hydration').toEqual([]);
    expect(report.detached, 'server-rendered elements no longer in the document').toEqual([]);
    expect(report.h1Present).toBe(true);
    expect(report.h1IsServerNode, 'the h1 is the node the server sent').toBe(true);
    expect(report.textAfter).toBe(report.textBefore);
    const expectedErrors = status === 200 ? [] : [failedLoadOf(blog.url(path), status)];
    expectCleanPage(log, { allowConsoleErrors: expectedErrors });

    // Hydration really happened: the app, not the browser, handles a click on an in-app link.
    const target = page.locator(link).first();
    const href = await target.getAttribute('href');
    expect(href).toMatch(/^\//);
    await expectClientNavigation(page, href!, () => target.click());
    expectCleanPage(log, { allowConsoleErrors: expectedErrors });
  });

  it('the state the server embedded is the state the client starts from', async () => {
    const post = seedPost(POST_WITH_COMMENTS);
    // If the client did not read the embedded state it would have to fetch the post again.
    const { page, log } = await blog.open();
    const apiRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) apiRequests.push(request.url());
    });
    await page.goto(blog.url(`/posts/${post.id}`), { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    expect(apiRequests).toEqual([]);
    expect((await page.locator('main h1').textContent())?.trim()).toBe(post.title);
    expectCleanPage(log);
  });
});
