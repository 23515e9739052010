import { describe, expect, it } from 'vitest';
import { pageAssets } from '../src/index.js';

const page = new URL('https://blog.example.com/posts/1');

describe('pageAssets', () => {
  it('finds the scripts and stylesheets a page loads, same origin only, each once', () => {
    const html =
      '<link rel="stylesheet" href="/assets/a-ABCDEFG1.css">' +
      '<link rel="preload" as="style" href="/assets/b-ABCDEFG2.css">' +
      '<link rel="modulepreload" href="/assets/entry-ABCDEFG3.js">' +
      '<link rel="preload" as="script" href="chunk-ABCDEFG4.js">' +
      '<link rel="icon" href="/favicon.svg">' +
      '<script type="module" src="/assets/entry-ABCDEFG3.js"></script>' +
      '<script src="https://cdn.example.net/lib.js"></script>' +
      '<script type="application/json">{"src":"/nope.js"}</script>' +
      '<script type="importmap" src="/importmap.json"></script>' +
      '<!-- <script src="/commented.js"></script> -->';
    const found = pageAssets(html, page);
    expect(found.scripts.map((u) => u.pathname)).toEqual(['/assets/entry-ABCDEFG3.js', '/posts/chunk-ABCDEFG4.js']);
    expect(found.stylesheets.map((u) => u.pathname)).toEqual(['/assets/a-ABCDEFG1.css', '/assets/b-ABCDEFG2.css']);
  });
});
