import { escapeHtml } from '@composable-svelte/server/render';
import { htmlToText, sanitizeHtml } from '@composable-svelte/server/security';
import type { SeedPost } from './data/seed.js';

/** The longest excerpt before the ellipsis is added. */
const EXCERPT_MAX_LENGTH = 180;
const ELLIPSIS = '…';

/** What a stored post carries besides its source: derived once when it is written, never per request. */
export function postContent(post: SeedPost): { excerpt: string; bodyHtml: string } {
  return {
    excerpt: excerptOf(post.format === 'html' ? post.body.map(htmlToText) : post.body),
    bodyHtml: bodyHtmlOf(post),
  };
}

/** The excerpt a post gets when its writer gives no summary. */
export function derivedExcerpt(bodyHtml: string): string {
  return excerptOf([htmlToText(bodyHtml)]);
}

/**
 * A starting point for editing a post that has no Markdown (the seed's essays): its paragraphs'
 * text, one paragraph per block, as bodyHtmlOf laid them out.
 */
export function markdownOfHtml(bodyHtml: string): string {
  return bodyHtml
    .split('\n')
    .map(htmlToText)
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}

/**
 * The body as HTML, built and sanitized once here rather than on every request: text paragraphs are
 * escaped, editor-written HTML goes through the sanitizer's allow-list.
 */
export function bodyHtmlOf(post: SeedPost): string {
  if (post.format === 'html') return sanitizeHtml(post.body.map((paragraph) => `<p>${paragraph}</p>`).join('\n'));
  return post.body.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
}

/**
 * The first paragraph, with whitespace collapsed. When it is longer than `EXCERPT_MAX_LENGTH`, it is cut
 * at the last word boundary that fits, trailing punctuation is dropped and `…` is appended.
 */
export function excerptOf(body: readonly string[]): string {
  const paragraph = (body[0] ?? '').replace(/\s+/g, ' ').trim();
  if (paragraph.length <= EXCERPT_MAX_LENGTH) return paragraph;

  // A space at index <= max means everything before it fits and ends on a whole word.
  const space = paragraph.lastIndexOf(' ', EXCERPT_MAX_LENGTH);
  let cut = space > 0 ? paragraph.slice(0, space).replace(/[\s,;:.!?\-–—]+$/u, '') : '';
  if (cut === '') {
    // One word longer than the limit: cut it hard, without splitting a surrogate pair.
    cut = paragraph.slice(0, EXCERPT_MAX_LENGTH);
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  }
  return cut + ELLIPSIS;
}
