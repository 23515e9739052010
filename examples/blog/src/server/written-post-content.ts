import type { PostDraft } from '../shared/post-draft.js';
import { renderMarkdown } from './markdown.js';
import { derivedExcerpt } from './post-content.js';

/**
 * What a writer's draft (validated and normalized) is stored as: the Markdown source for the next
 * edit, its HTML rendered and sanitized once, and the excerpt: the writer's summary, else the
 * start of the text.
 */
export function writtenPostContent(draft: PostDraft): { excerpt: string; bodyMarkdown: string; bodyHtml: string } {
  const bodyHtml = renderMarkdown(draft.body);
  return { excerpt: draft.summary || derivedExcerpt(bodyHtml), bodyMarkdown: draft.body, bodyHtml };
}
