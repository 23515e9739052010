/**
 * What a writer's Markdown becomes, once, when the post is stored: HTML with only allow-listed
 * tags and attributes, links and images only to http, https or mailto (or relative), raw HTML shown
 * as text, the page's h1 left to its title; and the post rules the form and the server share.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARKDOWN_MAX, normalizePostDraft, TITLE_MAX, validatePostDraft } from '../src/shared/post-draft.js';
import { renderMarkdown } from '../src/server/markdown.js';
import { derivedExcerpt, markdownOfHtml } from '../src/server/post-content.js';
import { writtenPostContent } from '../src/server/written-post-content.js';

const ALLOWED_TAGS = new Set(
  'p br hr h2 h3 h4 h5 h6 blockquote pre code em strong s ul ol li a img table thead tbody tr th td'.split(' '),
);
const ALLOWED_ATTRIBUTES: Record<string, readonly string[]> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title'],
  ol: ['start'],
  th: ['style'],
  td: ['style'],
};

/** What a browser reads in an attribute value: entities decoded, as an attacker would count on. */
function decoded(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&colon;/gi, ':')
    .replace(/&tab;|&newline;/gi, '')
    .replace(/&amp;/g, '&');
}

/** Every problem a rendered fragment has; none for safe HTML. */
function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  for (const [, name, attributes] of html.matchAll(/<([a-z0-9]+)([^>]*)>/gi)) {
    const tag = name!.toLowerCase();
    if (!ALLOWED_TAGS.has(tag)) problems.push(`tag <${tag}>`);
    for (const [, attribute, value = ''] of attributes!.replace(/\s*\/$/, '').matchAll(/\s([^\s=]+)(?:="([^"]*)")?/g)) {
      if (!(ALLOWED_ATTRIBUTES[tag] ?? []).includes(attribute!)) problems.push(`attribute ${attribute} on <${tag}>`);
      if (attribute === 'style' && !/^text-align:(left|right|center)$/.test(value))
        problems.push(`style ${value} on <${tag}>`);
      if (attribute !== 'href' && attribute !== 'src') continue;
      // Browsers ignore tabs, line breaks and leading blanks in a URL's scheme.
      const url = decoded(value).replace(/[\u0000-\u0020]/g, '');
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
      if (scheme !== undefined && !['http', 'https', 'mailto'].includes(scheme))
        problems.push(`${attribute}=${value} on <${tag}>`);
      if (url.startsWith('//')) problems.push(`protocol-relative ${attribute}=${value}`);
    }
  }
  return problems;
}

const HOSTILE_FRAGMENTS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<iframe src=//evil.example>',
  '<style>*{}</style>',
  'javascript:alert(1)',
  'JaVaScRiPt&#58;alert(1)',
  'java\tscript:alert(1)',
  '&#x6A;avascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html;base64,PHNjcmlwdD4=',
  '//evil.example/x',
  'https://example.org/ok',
  'mailto:ada@example.org',
  '"',
  "'",
  '`',
  '\\',
  '[',
  ']',
  '(',
  ')',
  '![',
  '](',
  '<',
  '>',
  '&',
  ';',
  ':',
  ' onmouseover=alert(1) ',
  '\n',
  '\n\n',
  '# ',
  '> ',
  '- ',
  '1. ',
  '```',
  '    ',
  '*',
  '_',
  '| a | b |\n|:-|-:|\n| 1 | 2 |',
  '[ref]: javascript:alert(1)\n',
  '[ref]',
  '<http://a.example>',
  '<javascript:alert(1)>',
  'www.example.org',
];

const hostileMarkdown = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ maxLength: 8 })), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('renderMarkdown', () => {
  it('renders Markdown: headings one level down (the title is the h1), emphasis, lists, code, links', () => {
    expect(renderMarkdown('# Title\n\nSome *emphasis*, `code` and [a link](https://example.org "Example").')).toBe(
      '<h2>Title</h2>\n<p>Some <em>emphasis</em>, <code>code</code> and ' +
        '<a href="https://example.org" title="Example" rel="noopener noreferrer nofollow">a link</a>.</p>',
    );
    expect(renderMarkdown('- one\n- two\n\n```\n<b>x</b>\n```')).toBe(
      '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>',
    );
  });

  it('shows raw HTML as text and keeps no script, handler or javascript: URL (known attacks)', () => {
    for (const fragment of HOSTILE_FRAGMENTS) {
      for (const source of [
        fragment,
        `[x](${fragment})`,
        `![x](${fragment})`,
        `<${fragment}>`,
        `[x]\n\n[x]: ${fragment}`,
      ]) {
        expect(unsafeParts(renderMarkdown(source)), source).toEqual([]);
      }
    }
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('never yields a tag, attribute or URL scheme outside the allow-list, whatever the Markdown', () => {
    fc.assert(
      fc.property(hostileMarkdown, (source) => {
        expect(unsafeParts(renderMarkdown(source))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('a written post', () => {
  it('stores the Markdown, its HTML, and the summary or else the start of the text as excerpt', () => {
    const written = writtenPostContent({ title: 'T', summary: '', body: '## Start\n\nThe *first* words.' });
    expect(written).toEqual({
      excerpt: 'Start The first words.',
      bodyMarkdown: '## Start\n\nThe *first* words.',
      bodyHtml: '<h3>Start</h3>\n<p>The <em>first</em> words.</p>',
    });
    expect(writtenPostContent({ title: 'T', summary: 'Mine.', body: 'Body.' }).excerpt).toBe('Mine.');
    expect(derivedExcerpt(renderMarkdown('word '.repeat(100))).length).toBeLessThanOrEqual(181);
  });

  it('gives a post without Markdown (the seed) its paragraphs as a starting point', () => {
    expect(markdownOfHtml('<p>One &amp; two.</p>\n<p>Three <em>four</em>.</p>')).toBe('One & two.\n\nThree four.');
  });

  it('validates the draft with one message per field, and stores it trimmed', () => {
    expect(validatePostDraft({ title: 'T', summary: '', body: 'B' })).toEqual({});
    expect(validatePostDraft({ title: ' ', summary: 'x'.repeat(301), body: '\n' })).toEqual({
      title: 'Please give the post a title.',
      summary: 'Please keep the summary to 300 characters or fewer.',
      body: 'Please write the post.',
    });
    expect(validatePostDraft({ title: 'a'.repeat(TITLE_MAX + 1), summary: '', body: 'x' }).title).toContain('200');
    expect(validatePostDraft({ title: 'Two\nlines', summary: '', body: 'x' }).title).toContain('one line');
    expect(validatePostDraft({ title: 'T', summary: '', body: 'a\u0000b' }).body).toContain('control characters');
    expect(validatePostDraft({ title: 'T', summary: '', body: 'x'.repeat(MARKDOWN_MAX + 1) }).body).toContain(
      String(MARKDOWN_MAX),
    );
    expect(normalizePostDraft({ title: ' T ', summary: ' a\n b ', body: '\n B \n' })).toEqual({
      title: 'T',
      summary: 'a b',
      body: 'B',
    });
  });
});
