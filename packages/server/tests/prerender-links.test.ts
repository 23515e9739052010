import { describe, expect, it } from 'vitest';
import { internalLinks } from '../src/prerender/internal-links.js';
import { fileForPath } from '../src/prerender/prerendered-files.js';

const page = new URL('https://site.example/docs/intro');

describe('the links the crawl follows', () => {
  it('takes href, src and srcset of the site, resolved against the page, without fragments or repeats', () => {
    const html =
      '<a href="/about">About</a><a href="api?x=1&amp;y=2#usage">API</a><a href="/about#team">Team</a>' +
      '<img src="../img/a.png" srcset="/img/a-2x.png 2x, /img/a-3x.png 3x" alt="">' +
      "<link rel=stylesheet href='/assets/app.css'><script type=module src=/assets/entry.js></script>";
    expect(internalLinks(html, page)).toEqual([
      '/about',
      '/docs/api?x=1&y=2',
      '/img/a.png',
      '/img/a-2x.png',
      '/img/a-3x.png',
      '/assets/app.css',
      '/assets/entry.js',
    ]);
  });

  it('leaves other sites, other schemes, fragments of the page itself and text that only looks like a link', () => {
    const html =
      '<a href="https://svelte.dev/">Svelte</a><a href="//cdn.example/x.js">CDN</a><a href="mailto:a@b.c">Mail</a>' +
      '<a href="javascript:void(0)">No</a><a href="#top">Top</a><a href="">Here</a>' +
      '<p>&lt;a href="/not-a-link"&gt;</p>' +
      '<script type="application/json" id="composable-state">{"html":"\\u003ca href=\\"/in-state\\"\\u003e"}</script>';
    expect(internalLinks(html, page)).toEqual([]);
  });
});

describe('where a page is written', () => {
  it.each([
    ['/', 'index.html'],
    ['/about', 'about.html'],
    ['/docs/intro', 'docs/intro.html'],
    ['/docs/a%20b', 'docs/a b.html'],
  ])('%s is %s', (path, file) => {
    expect(fileForPath(path)).toBe(file);
  });

  it('refuses a path whose decoded segments could leave the directory', () => {
    for (const path of ['/docs/..%2Fsecret', '/%2E%2E', '/a//b']) expect(() => fileForPath(path)).toThrow(/No file/);
  });
});
