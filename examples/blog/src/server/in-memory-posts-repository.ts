import type { Comment, Post, PostSummary, PostsRepository } from '../shared/model.js';
import { seedComments, seedPosts, type SeedPost } from './data/seed.js';

const NO_COMMENTS: readonly Comment[] = Object.freeze([]);

/**
 * A `PostsRepository` over data held in memory, the seed by default.
 *
 * Everything is validated and copied here, then derived (excerpts, bodies, comment counts,
 * orderings) and frozen once, on the first read; after it the reads only look things up. Returned
 * objects are frozen, so a caller cannot alter what later callers read, and later changes to the
 * `data` passed in do not leak into the store either. New comments are numbered after the highest
 * id so far and dated by `now`; they last as long as the process.
 *
 * @throws Error when ids are duplicated or not positive integers, a date is not a valid ISO 8601
 * date-time, or a comment points at a post that does not exist.
 */
export function createInMemoryPostsRepository(
  data: { posts: readonly SeedPost[]; comments: readonly Comment[] } = { posts: seedPosts, comments: seedComments },
  now: () => Date = () => new Date(),
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

  const markdown = new Map<number, string>();
  let lastCommentId = 0;
  for (const id of createdAtMs.keys()) lastCommentId = Math.max(lastCommentId, id);
  let lastPostId = 0;
  for (const id of publishedAtMs.keys()) lastPostId = Math.max(lastPostId, id);

  // Excerpts and bodies are derived on the first read, not here: the HTML sanitizer they need
  // (sanitize-html and its parsers) is a good part of a start, which a blog on these posts need
  // not wait for.
  const source = data.posts.map((post): SeedPost => ({ ...post, body: [...post.body] }));
  let derived: Promise<PostsState> | undefined;
  const state = () =>
    (derived ??= import('./post-content.js').then(({ postContent }) => {
      const posts = new Map<number, Post>();
      const summaries: PostSummary[] = [];
      for (const post of source) {
        const content = postContent(post);
        const summary: PostSummary = {
          id: post.id,
          title: post.title,
          author: post.author,
          publishedAt: post.publishedAt,
          excerpt: content.excerpt,
          commentCount: comments.get(post.id)?.length ?? 0,
          coverUrl: null,
        };
        summaries.push(Object.freeze(summary));
        posts.set(post.id, Object.freeze({ ...summary, bodyHtml: content.bodyHtml, authorId: null, updatedAt: null }));
      }
      // Newest first; equal timestamps put the higher id first.
      summaries.sort((a, b) => time(publishedAtMs, b.id) - time(publishedAtMs, a.id) || b.id - a.id);
      return { posts, postList: Object.freeze(summaries) };
    }));

  const summaryOf = (post: Post): PostSummary =>
    Object.freeze({
      id: post.id,
      title: post.title,
      author: post.author,
      publishedAt: post.publishedAt,
      excerpt: post.excerpt,
      commentCount: post.commentCount,
      coverUrl: post.coverUrl,
    });

  return {
    listPosts: async () => (await state()).postList,
    getPost: async (id) => (await state()).posts.get(id),
    listComments: async (postId) =>
      (await state()).posts.has(postId) ? (comments.get(postId) ?? NO_COMMENTS) : undefined,
    // A write replaces the frozen lists and objects it changes: answers already handed out stay as they were.
    addComment: async (postId, { author, body }) => {
      const current = await state();
      const post = current.posts.get(postId);
      if (!post) return undefined;
      const comment: Comment = Object.freeze({
        id: ++lastCommentId,
        postId,
        author,
        body,
        createdAt: now().toISOString(),
      });
      comments.set(postId, Object.freeze([...(comments.get(postId) ?? []), comment]));
      const counted: Post = Object.freeze({ ...post, commentCount: post.commentCount + 1 });
      current.posts.set(postId, counted);
      current.postList = Object.freeze(
        current.postList.map((entry) => (entry.id === postId ? summaryOf(counted) : entry)),
      );
      return comment;
    },
    createPost: async ({ bodyMarkdown, ...written }) => {
      const current = await state();
      const post: Post = Object.freeze({
        ...written,
        id: ++lastPostId,
        publishedAt: now().toISOString(),
        updatedAt: null,
        commentCount: 0,
      });
      current.posts.set(post.id, post);
      markdown.set(post.id, bodyMarkdown);
      // The newest post: first in the list.
      current.postList = Object.freeze([summaryOf(post), ...current.postList]);
      return post;
    },
    getPostSource: async (id) => {
      const post = (await state()).posts.get(id);
      return post ? { post, bodyMarkdown: markdown.get(id) ?? null } : undefined;
    },
    updatePost: async (id, { title, excerpt, bodyMarkdown, bodyHtml, coverUrl }) => {
      const current = await state();
      const post = current.posts.get(id);
      if (!post) return undefined;
      const edited: Post = Object.freeze({
        ...post,
        ...{ title, excerpt, bodyHtml, coverUrl },
        updatedAt: now().toISOString(),
      });
      current.posts.set(id, edited);
      markdown.set(id, bodyMarkdown);
      current.postList = Object.freeze(current.postList.map((entry) => (entry.id === id ? summaryOf(edited) : entry)));
      return edited;
    },
  };
}

/** The posts with their derived content, and the list in its order. */
interface PostsState {
  readonly posts: Map<number, Post>;
  postList: readonly PostSummary[];
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
