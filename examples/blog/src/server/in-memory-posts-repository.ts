import { escapeHtml } from '@composable-svelte/server/render';
import { htmlToText, sanitizeHtml } from '@composable-svelte/server/security';
import type { Comment, Post, PostSummary, PostsRepository } from '../shared/model.js';
import { seedComments, seedPosts, type SeedPost } from './data/seed.js';

/** The longest excerpt before the ellipsis is added. */
const EXCERPT_MAX_LENGTH = 180;
const ELLIPSIS = '…';

const NO_COMMENTS: readonly Comment[] = Object.freeze([]);

/**
 * A `PostsRepository` over data held in memory, the seed by default.
 *
 * Everything is validated, copied, derived (excerpts, comment counts, orderings) and frozen once, here;
 * the methods only look things up. Returned objects are frozen, so a caller cannot alter what later
 * callers read, and later changes to the `data` passed in do not leak into the store either.
 *
 * @throws Error when ids are duplicated or not positive integers, a date is not a valid ISO 8601
 * date-time, or a comment points at a post that does not exist.
 */
export function createInMemoryPostsRepository(
  data: { posts: readonly SeedPost[]; comments: readonly Comment[] } = { posts: seedPosts, comments: seedComments },
): PostsRepository {
  const publishedAtMs = new Map<number, number>();
  for (const post of data.posts) {
    checkId(post.id, 'post');
    if (publishedAtMs.has(post.id)) throw new Error(`Invalid posts data: duplicate post id ${post.id}.`);
    publishedAtMs.set(post.id, parseDate(post.publishedAt, `post ${post.id}`, 'publishedAt'));
  }

  const createdAtMs = new Map<number, number>();
  const commentsByPost = new Map<number, Comment[]>();
  for (const comment of data.comments) {
    checkId(comment.id, 'comment');
    if (createdAtMs.has(comment.id)) throw new Error(`Invalid comments data: duplicate comment id ${comment.id}.`);
    if (!publishedAtMs.has(comment.postId)) {
      throw new Error(
        `Invalid comments data: comment ${comment.id} refers to post ${String(comment.postId)}, which does not exist.`,
      );
    }
    createdAtMs.set(comment.id, parseDate(comment.createdAt, `comment ${comment.id}`, 'createdAt'));
    const copy: Comment = Object.freeze({
      id: comment.id,
      postId: comment.postId,
      author: comment.author,
      body: comment.body,
      createdAt: comment.createdAt,
    });
    const list = commentsByPost.get(comment.postId);
    if (list) list.push(copy);
    else commentsByPost.set(comment.postId, [copy]);
  }

  const time = (map: Map<number, number>, id: number): number => map.get(id) ?? 0;

  // Oldest first; equal timestamps fall back to id order so the result never depends on input order.
  const comments = new Map<number, readonly Comment[]>();
  for (const [postId, list] of commentsByPost) {
    list.sort((a, b) => time(createdAtMs, a.id) - time(createdAtMs, b.id) || a.id - b.id);
    comments.set(postId, Object.freeze(list));
  }

  const posts = new Map<number, Post>();
  const summaries: PostSummary[] = [];
  for (const post of data.posts) {
    const summary: PostSummary = {
      id: post.id,
      title: post.title,
      author: post.author,
      publishedAt: post.publishedAt,
      excerpt: excerptOf(post.format === 'html' ? post.body.map(htmlToText) : post.body),
      commentCount: comments.get(post.id)?.length ?? 0,
    };
    summaries.push(Object.freeze(summary));
    posts.set(post.id, Object.freeze({ ...summary, bodyHtml: bodyHtmlOf(post) }));
  }
  // Newest first; equal timestamps put the higher id first.
  summaries.sort((a, b) => time(publishedAtMs, b.id) - time(publishedAtMs, a.id) || b.id - a.id);
  const postList: readonly PostSummary[] = Object.freeze(summaries);

  return {
    listPosts: () => Promise.resolve(postList),
    getPost: (id) => Promise.resolve(posts.get(id)),
    listComments: (postId) => Promise.resolve(posts.has(postId) ? (comments.get(postId) ?? NO_COMMENTS) : undefined),
  };
}

/**
 * The body as HTML, built and sanitized once here rather than on every request: text paragraphs are
 * escaped, editor-written HTML goes through the sanitizer's allow-list.
 */
function bodyHtmlOf(post: SeedPost): string {
  if (post.format === 'html') return sanitizeHtml(post.body.map((paragraph) => `<p>${paragraph}</p>`).join('\n'));
  return post.body.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
}

function checkId(id: unknown, kind: 'post' | 'comment'): void {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    throw new Error(`Invalid ${kind}s data: ${kind} id ${String(id)} is not a positive integer.`);
  }
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDate(value: unknown, owner: string, field: string): number {
  const ms = typeof value === 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new Error(
      `Invalid data: ${owner} has ${field} ${JSON.stringify(value)}, which is not an ISO 8601 date-time.`,
    );
  }
  return ms;
}

/**
 * The first paragraph, with whitespace collapsed. When it is longer than `EXCERPT_MAX_LENGTH`, it is cut
 * at the last word boundary that fits, trailing punctuation is dropped and `…` is appended.
 */
function excerptOf(body: readonly string[]): string {
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
