import { describe, expect, it } from 'vitest';
import { expectCleanPage } from './support/browser.js';
import { allSeedPosts, asHtmlText, POST_WITH_COMMENTS, seedCommentsFor, seedPost } from './support/content.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();

const post = seedPost(POST_WITH_COMMENTS);
const comments = seedCommentsFor(POST_WITH_COMMENTS);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function rawHtml(path: string): Promise<string> {
  const response = await fetch(blog.url(path), { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  return response.text();
}

function expectDocumentShell(html: string): void {
  expect(html.match(/<title[\s>]/g) ?? [], 'number of <title> elements').toHaveLength(1);
  expect(html).toMatch(/<html[^>]*\slang="[a-z]/);
  expect(html).toMatch(/<div id="app">/);
  const stateBlocks = html.match(/<script type="application\/json" id="composable-state">/g) ?? [];
  expect(stateBlocks, 'serialized state blocks').toHaveLength(1);
}

/** The markup inside #app, so a match cannot come from the serialized state or the head. */
function appMarkup(html: string): string {
  const start = html.indexOf('<div id="app">');
  const end = html.indexOf('<script type="application/json" id="composable-state">');
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return html.slice(start, end);
}

describe('content is in the HTML before any JavaScript runs', () => {
  it('the home page lists every post title in the server-rendered markup', async () => {
    const html = await rawHtml('/');
    expectDocumentShell(html);
    const app = appMarkup(html);
    expect(app).toContain('Latest essays</h1>');
    expect(allSeedPosts).toHaveLength(24);
    for (const { id, title } of allSeedPosts) {
      expect(app, `post ${id} link`).toContain(`href="/posts/${id}"`);
      expect(app, `post ${id} title`).toContain(asHtmlText(title));
    }
  });

  it('a post page renders its title as h1 and its paragraphs', async () => {
    const html = await rawHtml(`/posts/${post.id}`);
    expectDocumentShell(html);
    const app = appMarkup(html);
    expect(app).toMatch(new RegExp(`<h1[^>]*>${escapeRegExp(asHtmlText(post.title))}</h1>`));
    for (const paragraph of post.body) expect(app).toContain(`<p>${asHtmlText(paragraph)}</p>`);
    expect(app).toContain(`href="/posts/${post.id}/comments"`);
  });

  it('a comments page renders the comments', async () => {
    expect(comments.length).toBeGreaterThan(0);
    const html = await rawHtml(`/posts/${post.id}/comments`);
    expectDocumentShell(html);
    const app = appMarkup(html);
    expect(app).toContain(asHtmlText(post.title));
    expect(app.match(/<li class="comment"[ >]/g) ?? []).toHaveLength(comments.length);
    for (const comment of comments) {
      expect(app).toContain(asHtmlText(comment.body));
      expect(app).toContain(asHtmlText(comment.author));
    }
  });

  // The exact wording of the comments heading has its own test (pages.test.ts); here it is enough
  // that the page's own heading is visible without JavaScript.
  it.each([
    ['/', /^Latest essays$/],
    [`/posts/${post.id}`, new RegExp(`^${escapeRegExp(post.title)}$`)],
    [`/posts/${post.id}/comments`, new RegExp(`^Comments\\s*on “${escapeRegExp(post.title)}”$`)],
  ])('%s shows its heading with JavaScript disabled', async (path, heading) => {
    const { page, log } = await blog.load(path, { javaScriptEnabled: false });
    const h1 = page.locator('main h1');
    await h1.waitFor({ state: 'visible' });
    expect((await h1.textContent())?.trim()).toMatch(heading);
    expect(await page.locator('main h1').count()).toBe(1);
    expectCleanPage(log);
  });

  it('without JavaScript the links still work as plain links', async () => {
    const { page } = await blog.load('/', { javaScriptEnabled: false });
    await page.locator(`main a[href="/posts/${post.id}"]`).click();
    await page.waitForURL(blog.url(`/posts/${post.id}`));
    await page.locator('main h1').waitFor({ state: 'visible' });
    expect((await page.locator('main h1').textContent())?.trim()).toBe(post.title);
  });
});
