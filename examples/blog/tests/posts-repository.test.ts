import { describe, expect, it } from 'vitest';
import { seedComments, seedPosts, type SeedComment, type SeedPost } from '../src/server/data/seed.js';
import { createInMemoryPostsRepository } from '../src/server/in-memory-posts-repository.js';
import { escapeHtml } from '@composable-svelte/server/render';
import { htmlToText } from '@composable-svelte/server/security';
import type { Comment, Post, PostSummary } from '../src/shared/model.js';

const XSS_TITLE = 'Why </script><script>alert(1)</script> in a title is harmless here';
const XSS_PAYLOAD = '<img src=x onerror=alert(1)>';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Runs a mutation attempt; frozen data throws in strict mode, fresh copies silently accept it. Either is fine. */
function attempt(mutate: () => void): void {
  try {
    mutate();
  } catch {
    // Rejected by a frozen object: exactly what we want.
  }
}

function post(id: number, publishedAt: string, body: readonly string[] = [`Post ${id}. Short body.`]): SeedPost {
  return { id, title: `Post ${id}`, author: 'Test Author', publishedAt, body };
}

function comment(id: number, postId: number, createdAt: string): SeedComment {
  return { id, postId, author: 'Reader', body: `Comment ${id}.`, createdAt };
}

const time = (iso: string): number => Date.parse(iso);

describe('listPosts', () => {
  it('lists the 24 seed posts, each once, newest first', async () => {
    const posts = await createInMemoryPostsRepository().listPosts();

    expect(posts).toHaveLength(24);
    expect(posts.map((p) => p.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    for (let i = 1; i < posts.length; i++) {
      expect(time(posts[i - 1]!.publishedAt)).toBeGreaterThan(time(posts[i]!.publishedAt));
    }
  });

  it('orders by publication date, not by id', async () => {
    const repository = createInMemoryPostsRepository({
      posts: [
        post(1, '2025-05-01T00:00:00.000Z'),
        post(2, '2026-01-01T00:00:00.000Z'),
        post(3, '2025-09-01T00:00:00.000Z'),
      ],
      comments: [],
    });

    expect((await repository.listPosts()).map((p) => p.id)).toEqual([2, 3, 1]);
  });

  it('returns summaries with the post fields but without the body', async () => {
    const [newest] = await createInMemoryPostsRepository().listPosts();
    const source = seedPosts.find((p) => p.id === newest!.id)!;

    expect(newest).toMatchObject({
      id: source.id,
      title: source.title,
      author: source.author,
      publishedAt: source.publishedAt,
    });
    expect(newest).not.toHaveProperty('body');
  });

  it('gives every post an excerpt of at most 180 characters plus an ellipsis, cut between words', async () => {
    for (const summary of await createInMemoryPostsRepository().listPosts()) {
      const source = seedPosts.find((p) => p.id === summary.id)!;
      const firstParagraph = source.format === 'html' ? htmlToText(source.body[0]!) : source.body[0]!;

      expect(summary.excerpt.length).toBeLessThanOrEqual(181);
      if (firstParagraph.length <= 180) {
        expect(summary.excerpt).toBe(firstParagraph);
      } else {
        expect(summary.excerpt.endsWith('…')).toBe(true);
        const kept = summary.excerpt.slice(0, -1);
        expect(firstParagraph.startsWith(kept)).toBe(true);
        // What follows the kept text starts with a space or punctuation, never the rest of a word.
        expect(firstParagraph.slice(kept.length)).toMatch(/^[\s\p{P}]/u);
      }
    }
  });

  it('sanitizes editor-written HTML bodies once, keeping safe markup and text', async () => {
    const post2 = (await createInMemoryPostsRepository().getPost(2))!;
    expect(post2.bodyHtml).toContain('<code>Cache-Control</code>');
    expect(post2.bodyHtml).toContain(
      '<a href="https://www.rfc-editor.org/rfc/rfc9111" rel="noopener noreferrer nofollow">',
    );
    expect(post2.bodyHtml).not.toMatch(/<script|href="javascript:|onclick|stored XSS/i);
    expect(post2.bodyHtml).toContain('A script element stood before this sentence');
    expect(post2.excerpt).not.toContain('<');
  });

  it('keeps a first paragraph of exactly 180 characters whole and cuts a longer one at the last space', async () => {
    const exact = `${'word '.repeat(35)}abcde`; // 180 characters
    // The last space that fits sits at index 179, after "gam"; the next one, at 181, is past the limit.
    const long = `${'alpha beta '.repeat(16)}gam delta epsilon`;
    const repository = createInMemoryPostsRepository({
      posts: [
        post(1, '2025-01-01T00:00:00.000Z', [exact, 'Second paragraph.']),
        post(2, '2025-01-02T00:00:00.000Z', [long]),
      ],
      comments: [],
    });

    expect(exact).toHaveLength(180);
    expect(long.length).toBeGreaterThan(180);
    expect((await repository.getPost(1))?.excerpt).toBe(exact);
    const excerpt = (await repository.getPost(2))?.excerpt;
    expect(excerpt).toBe(`${'alpha beta '.repeat(16)}gam…`);
    expect(excerpt!.length).toBeLessThanOrEqual(181);
  });

  it('drops trailing punctuation before the ellipsis and hard-cuts a single overlong word', async () => {
    const comma = `${'x'.repeat(176)}, and then the sentence carries on well past the limit`;
    const repository = createInMemoryPostsRepository({
      posts: [
        post(1, '2025-01-01T00:00:00.000Z', [comma]),
        post(2, '2025-01-02T00:00:00.000Z', ['a'.repeat(300)]),
        post(3, '2025-01-03T00:00:00.000Z', []),
      ],
      comments: [],
    });

    expect((await repository.getPost(1))?.excerpt).toBe(`${'x'.repeat(176)}…`);
    expect((await repository.getPost(2))?.excerpt).toBe(`${'a'.repeat(180)}…`);
    expect((await repository.getPost(3))?.excerpt).toBe('');
  });

  it('reports a comment count that matches the comments of each post', async () => {
    const repository = createInMemoryPostsRepository();

    for (const summary of await repository.listPosts()) {
      const comments = await repository.listComments(summary.id);
      expect(summary.commentCount).toBe(comments?.length);
      expect(summary.commentCount).toBe(seedComments.filter((c) => c.postId === summary.id).length);
    }
  });
});

describe('getPost', () => {
  it('returns the full post with its paragraphs and the same summary fields as the list', async () => {
    const repository = createInMemoryPostsRepository();
    const post3 = await repository.getPost(3);
    const summary3 = (await repository.listPosts()).find((p) => p.id === 3);
    const source = seedPosts.find((p) => p.id === 3)!;

    expect(post3).toEqual({
      ...summary3,
      bodyHtml: source.body.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n'),
      authorId: null,
      updatedAt: null,
    });
    expect(source.body.length).toBeGreaterThanOrEqual(3);
  });

  it('returns undefined for ids that do not exist', async () => {
    const repository = createInMemoryPostsRepository();

    for (const id of [0, -1, 25, 1000, 1.5, Number.NaN]) {
      expect(await repository.getPost(id)).toBeUndefined();
    }
  });
});

describe('listComments', () => {
  it('returns the comments of a post oldest first', async () => {
    const repository = createInMemoryPostsRepository();
    const comments = await repository.listComments(3);

    expect(comments!.length).toBeGreaterThanOrEqual(4);
    expect(comments!.every((c) => c.postId === 3)).toBe(true);
    for (let i = 1; i < comments!.length; i++) {
      expect(time(comments![i - 1]!.createdAt)).toBeLessThanOrEqual(time(comments![i]!.createdAt));
    }
  });

  it('sorts comments by date even when the data lists them out of order', async () => {
    const repository = createInMemoryPostsRepository({
      posts: [post(1, '2025-01-01T00:00:00.000Z')],
      comments: [
        comment(10, 1, '2025-01-03T00:00:00.000Z'),
        comment(11, 1, '2025-01-02T00:00:00.000Z'),
        comment(12, 1, '2025-01-04T00:00:00.000Z'),
      ],
    });

    expect((await repository.listComments(1))?.map((c) => c.id)).toEqual([11, 10, 12]);
  });

  it('returns an empty list for a post without comments and undefined for a missing post', async () => {
    const repository = createInMemoryPostsRepository();
    const uncommented = (await repository.listPosts()).filter((p) => p.commentCount === 0);

    expect(uncommented.length).toBeGreaterThanOrEqual(3);
    for (const summary of uncommented) {
      expect(await repository.listComments(summary.id)).toEqual([]);
    }
    expect(await repository.listComments(25)).toBeUndefined();
    expect(await repository.listComments(0)).toBeUndefined();
  });
});

describe('isolation', () => {
  it('ignores attempts to mutate returned data', async () => {
    const repository = createInMemoryPostsRepository();
    const before = {
      list: structuredClone(await repository.listPosts()),
      post: structuredClone(await repository.getPost(3)),
      comments: structuredClone(await repository.listComments(3)),
    };

    const list = await repository.listPosts();
    attempt(() => (list as PostSummary[]).reverse());
    attempt(() => (list as PostSummary[]).pop());
    attempt(() => {
      (list[0] as Mutable<PostSummary>).title = 'Hijacked';
    });
    const post3 = await repository.getPost(3);
    attempt(() => {
      (post3 as Mutable<PostSummary>).commentCount = 99;
    });
    attempt(() => {
      (post3 as Mutable<Post>).bodyHtml = '<p>Rewritten.</p>';
    });
    const comments = await repository.listComments(3);
    attempt(() => (comments as Comment[]).splice(0, 1));
    attempt(() => {
      (comments![0] as Mutable<Comment>).body = 'Edited by someone else.';
    });
    const empty = await repository.listComments(5);
    attempt(() => (empty as Comment[]).push(comments![0]!));

    expect(await repository.listPosts()).toEqual(before.list);
    expect(await repository.getPost(3)).toEqual(before.post);
    expect(await repository.listComments(3)).toEqual(before.comments);
    expect(await repository.listComments(5)).toEqual([]);
  });

  it('is not affected by later changes to the data it was created from', async () => {
    const body = ['Original paragraph.'];
    const posts: SeedPost[] = [post(1, '2025-01-01T00:00:00.000Z', body)];
    const comments: SeedComment[] = [comment(1, 1, '2025-01-02T00:00:00.000Z')];
    const repository = createInMemoryPostsRepository({ posts, comments });

    body[0] = 'Changed paragraph.';
    posts.push(post(2, '2025-02-01T00:00:00.000Z'));
    comments.push(comment(2, 1, '2025-01-03T00:00:00.000Z'));

    expect((await repository.getPost(1))?.bodyHtml).toBe('<p>Original paragraph.</p>');
    expect(await repository.getPost(2)).toBeUndefined();
    expect(await repository.listComments(1)).toHaveLength(1);
  });
});

describe('addComment', () => {
  const NOW = new Date('2026-01-02T03:04:05.678Z');

  it('stores a comment after the highest id, dated now, listed last and counted in the post and the list', async () => {
    const posts = [post(1, '2025-01-01T00:00:00.000Z'), post(2, '2025-02-01T00:00:00.000Z')];
    const repository = createInMemoryPostsRepository(
      { posts, comments: [comment(7, 1, '2025-01-02T00:00:00.000Z')] },
      () => NOW,
    );
    const added = await repository.addComment(1, { author: 'Ada', body: 'Line one\nline two' });
    expect(added).toEqual({
      id: 8,
      postId: 1,
      author: 'Ada',
      body: 'Line one\nline two',
      createdAt: NOW.toISOString(),
    });
    expect(Object.isFrozen(added)).toBe(true);
    expect((await repository.listComments(1))!.map((c) => c.id)).toEqual([7, 8]);
    expect((await repository.getPost(1))!.commentCount).toBe(2);
    expect((await repository.listPosts()).map((p) => [p.id, p.commentCount])).toEqual([
      [2, 0],
      [1, 2],
    ]);
    expect((await repository.addComment(2, { author: 'Grace', body: 'First' }))!.id).toBe(9);
    expect((await repository.getPost(2))!.commentCount).toBe(1);
  });

  it('answers undefined for a post that does not exist, changing nothing', async () => {
    const repository = createInMemoryPostsRepository();
    const before = structuredClone(await repository.listPosts());
    expect(await repository.addComment(999, { author: 'Ada', body: 'Hello' })).toBeUndefined();
    expect(await repository.listPosts()).toEqual(before);
  });

  it('leaves answers already handed out as they were', async () => {
    const repository = createInMemoryPostsRepository();
    const list = await repository.listPosts();
    const post3 = await repository.getPost(3);
    const comments3 = await repository.listComments(3);
    const snapshot = structuredClone({ list, post3, comments3 });
    await repository.addComment(3, { author: 'Ada', body: 'Hello' });
    expect({ list, post3, comments3 }).toEqual(snapshot);
    expect(await repository.listComments(3)).toHaveLength(comments3!.length + 1);
  });
});

describe('validation', () => {
  const ok = '2025-01-01T00:00:00.000Z';

  it('rejects duplicate post ids', () => {
    expect(() =>
      createInMemoryPostsRepository({ posts: [post(1, ok), post(2, ok), post(2, ok)], comments: [] }),
    ).toThrow('duplicate post id 2');
  });

  it('rejects duplicate comment ids', () => {
    expect(() =>
      createInMemoryPostsRepository({ posts: [post(1, ok)], comments: [comment(4, 1, ok), comment(4, 1, ok)] }),
    ).toThrow('duplicate comment id 4');
  });

  it('rejects a comment that points at a missing post', () => {
    expect(() => createInMemoryPostsRepository({ posts: [post(1, ok)], comments: [comment(7, 99, ok)] })).toThrow(
      'comment 7 refers to post 99, which does not exist',
    );
  });

  it('rejects ids that are not positive integers and dates that are not ISO 8601', () => {
    expect(() => createInMemoryPostsRepository({ posts: [post(0, ok)], comments: [] })).toThrow(
      'post id 0 is not a positive integer',
    );
    expect(() => createInMemoryPostsRepository({ posts: [post(1, 'last Tuesday')], comments: [] })).toThrow(
      'post 1 has publishedAt "last Tuesday"',
    );
  });

  it('accepts an empty store', async () => {
    const repository = createInMemoryPostsRepository({ posts: [], comments: [] });

    expect(await repository.listPosts()).toEqual([]);
    expect(await repository.listComments(1)).toBeUndefined();
  });
});

describe('seed content', () => {
  it('keeps the hostile title of post 7 and the quoted payload verbatim', async () => {
    const repository = createInMemoryPostsRepository();

    expect((await repository.getPost(7))?.title).toBe(XSS_TITLE);
    expect((await repository.listPosts()).find((p) => p.id === 7)?.title).toBe(XSS_TITLE);
    const withPayload = seedPosts.filter(
      (p) => p.id !== 7 && p.body.some((paragraph) => paragraph.includes(XSS_PAYLOAD)),
    );
    expect(withPayload).toHaveLength(1);
    // Text paragraphs are escaped into HTML, so the payload is shown, not parsed.
    expect((await repository.getPost(withPayload[0]!.id))?.bodyHtml).toContain(escapeHtml(XSS_PAYLOAD));
  });

  it('is varied and consistent: distinct dates, several authors, comments after their post', () => {
    const publishedAt = new Map(seedPosts.map((p) => [p.id, time(p.publishedAt)]));

    expect(new Set(seedPosts.map((p) => p.publishedAt)).size).toBe(seedPosts.length);
    const authors = new Set(seedPosts.map((p) => p.author)).size;
    expect(authors).toBeGreaterThanOrEqual(8);
    expect(authors).toBeLessThanOrEqual(10);
    expect(seedPosts.some((p) => /[^\x00-\x7F]/.test(p.title))).toBe(true);
    for (const p of seedPosts) {
      expect(p.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(p.body.length).toBeGreaterThanOrEqual(3);
      expect(p.body.length).toBeLessThanOrEqual(6);
    }
    expect(seedComments.map((c) => c.id)).toEqual(Array.from({ length: seedComments.length }, (_, i) => i + 1));
    for (const c of seedComments) {
      expect(time(c.createdAt)).toBeGreaterThan(publishedAt.get(c.postId)!);
    }
    for (const p of seedPosts) {
      expect(seedComments.filter((c) => c.postId === p.id).length).toBeLessThanOrEqual(7);
    }
  });
});
