import MarkdownIt from 'markdown-it';
import { sanitizeHtml } from '@composable-svelte/server/security';

/**
 * Markdown as writers use it, never HTML: `html: false` escapes any tag typed in the source, and
 * markdown-it's link check already drops `javascript:`, `vbscript:`, `file:` and most `data:` URLs.
 * The framework's sanitizer runs on the result anyway (allow-listed tags, http/https/mailto links):
 * one parser bug must not be enough to put script in a page.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true });

// The page's title is its only h1: a writer's `# Heading` becomes an h2, and so on down.
markdown.core.ruler.push('demote_headings', (state) => {
  for (const token of state.tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
    }
  }
});

/** The Markdown as safe HTML: called once when a post is written, never per request. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source)).trim();
}
