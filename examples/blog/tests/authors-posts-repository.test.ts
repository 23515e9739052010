/**
 * The in-memory repository (tests, benchmarks) writes posts as the database one does: a new post is
 * numbered after the highest id, published now and listed first; an edit replaces what the writer
 * controls and stamps updatedAt; answers already handed out do not change.
 */
import { describe, expect, it } from 'vitest';
import { createInMemoryPostsRepository } from '../src/server/in-memory-posts-repository.js';
import type { NewPost } from '../src/shared/model.js';

const written: NewPost = {
  title: 'Fresh',
  author: 'Ada',
  authorId: 7,
  excerpt: 'Fresh words.',
  bodyMarkdown: 'Fresh *words*.',
  bodyHtml: '<p>Fresh <em>words</em>.</p>',
  coverUrl: '/uploads/AAAAAAAAAAAAAAAAAAAAAA.png',
};

describe('writing posts in memory', () => {
  it('creates a post after the highest id, published now, first in the list, with its Markdown', async () => {
    let clock = Date.parse('2030-01-01T00:00:00.000Z');
    const repository = createInMemoryPostsRepository(undefined, () => new Date(clock));
    const before = await repository.listPosts();
    const post = await repository.createPost(written);
    expect(post).toEqual({
      ...written,
      bodyMarkdown: undefined,
      id: 25,
      publishedAt: '2030-01-01T00:00:00.000Z',
      updatedAt: null,
      commentCount: 0,
    });
    expect(Object.keys(post)).not.toContain('bodyMarkdown');
    const list = await repository.listPosts();
    expect(list[0]).toEqual({
      id: 25,
      title: 'Fresh',
      author: 'Ada',
      publishedAt: '2030-01-01T00:00:00.000Z',
      excerpt: 'Fresh words.',
      commentCount: 0,
      coverUrl: written.coverUrl,
    });
    expect(list).toHaveLength(before.length + 1);
    expect(before).toHaveLength(24);
    expect(await repository.getPostSource(25)).toEqual({ post, bodyMarkdown: 'Fresh *words*.' });

    clock += 60_000;
    const edited = await repository.updatePost(25, {
      title: 'Edited',
      excerpt: 'Edited.',
      bodyMarkdown: 'Edited.',
      bodyHtml: '<p>Edited.</p>',
      coverUrl: null,
    });
    expect(edited).toMatchObject({ id: 25, title: 'Edited', coverUrl: null, updatedAt: '2030-01-01T00:01:00.000Z' });
    expect(edited?.publishedAt).toBe(post.publishedAt);
    expect((await repository.listPosts())[0]).toMatchObject({ title: 'Edited', coverUrl: null });
    expect((await repository.getPostSource(25))?.bodyMarkdown).toBe('Edited.');
    // What was handed out before stays as it was.
    expect(post.title).toBe('Fresh');
    expect(list[0]!.title).toBe('Fresh');
  });

  it('keeps comment counts across edits, and answers undefined for a post that does not exist', async () => {
    const repository = createInMemoryPostsRepository();
    await repository.addComment(3, { author: 'Reader', body: 'Hi' });
    const { post } = (await repository.getPostSource(3))!;
    const edited = await repository.updatePost(3, { ...written, title: 'Seed, edited' });
    expect(edited).toMatchObject({ commentCount: post.commentCount, author: post.author, authorId: null });
    expect(await repository.updatePost(999, written)).toBeUndefined();
    expect(await repository.getPostSource(999)).toBeUndefined();
    expect((await repository.getPostSource(4))?.bodyMarkdown).toBeNull();
  });
});
