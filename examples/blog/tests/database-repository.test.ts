/**
 * The blog on its database, on both tiers: migrated and seeded, the database repositories answer
 * exactly what the in-memory repository answers for the same seed, comments are added and counted
 * as the in-memory repository adds them (concurrently too), the comment_count migration backfills
 * existing comments, and subscribers persist.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, type Db } from '@composable-svelte/server/db';
import { databaseTiers } from '@composable-svelte/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedComments, seedPosts } from '../src/server/data/seed.js';
import { createDatabasePostsRepository } from '../src/server/db/database-posts-repository.js';
import { createDatabaseSubscriptionsRepository } from '../src/server/db/database-subscriptions-repository.js';
import { comments, type BlogSchema } from '../src/server/db/schema.js';
import { seedBlogDatabase } from '../src/server/db/seed-database.js';
import { createInMemoryPostsRepository } from '../src/server/in-memory-posts-repository.js';

const MIGRATIONS = fileURLToPath(new URL('../drizzle', import.meta.url));

describe.each(await databaseTiers())('the blog on the $name database', (tier) => {
  it('the comment_count migration backfills the counts of posts that already have comments', async () => {
    const fresh = await tier.fresh();
    const before = mkdtempSync(join(tmpdir(), 'cs-blog-migrations-'));
    try {
      // The migrations as they were before comment_count: the first one alone.
      cpSync(MIGRATIONS, before, { recursive: true });
      const journalPath = join(before, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
      expect(journal.entries[1]!.tag).toBe('0001_post_comment_count');
      writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }));
      const raw = fresh.database.db;
      await migrate(raw, before);
      await raw.execute(sql`insert into posts (id, title, author, published_at, excerpt, body_html) values
        (1, 'One', 'Ada', now(), 'e', '<p>e</p>'), (2, 'Two', 'Ada', now(), 'e', '<p>e</p>')`);
      await raw.execute(
        sql`insert into comments (post_id, author, body) values (1, 'a', 'x'), (1, 'b', 'y'), (1, 'c', 'z')`,
      );

      await migrate(raw, MIGRATIONS);
      const counts = (await raw.execute(sql`select id, comment_count from posts order by id`)) as unknown as {
        rows: { id: number; comment_count: number }[];
      };
      expect(counts.rows).toEqual([
        { id: 1, comment_count: 3 },
        { id: 2, comment_count: 0 },
      ]);
    } finally {
      rmSync(before, { recursive: true, force: true });
      await fresh.dispose();
    }
  });

  let opened: Awaited<ReturnType<typeof tier.fresh>>;
  // The tier opens the database without the blog's schema; it only types relational queries.
  const db = () => opened.database.db as unknown as Db<BlogSchema>;

  beforeAll(async () => {
    opened = await tier.fresh();
    await migrate(opened.database.db, MIGRATIONS);
  }, 60_000);
  afterAll(() => opened?.dispose());

  it('seeds an empty database once, and keeps what is there on the next start', async () => {
    expect(await seedBlogDatabase(db())).toBe('seeded');
    expect(await seedBlogDatabase(db())).toBe('kept');
  });

  it('answers every read exactly as the in-memory repository does for the same seed', async () => {
    const expected = createInMemoryPostsRepository();
    const actual = createDatabasePostsRepository(db);
    expect(await actual.listPosts()).toEqual(await expected.listPosts());
    for (const id of [...seedPosts.map((post) => post.id), 0, 999, 2 ** 31 - 1]) {
      expect(await actual.getPost(id)).toEqual(await expected.getPost(id));
      expect(await actual.listComments(id)).toEqual(await expected.listComments(id));
    }
  });

  it('new rows continue after the seed ids', async () => {
    const [comment] = await db()
      .insert(comments)
      .values({ postId: 1, author: 'Ada', body: 'A new comment' })
      .returning({ id: comments.id });
    expect(comment!.id).toBe(Math.max(...seedComments.map((seeded) => seeded.id)) + 1);
    const listed = await createDatabasePostsRepository(db).listComments(1);
    expect(listed!.at(-1)).toMatchObject({ id: comment!.id, body: 'A new comment' });
  });

  it('adds a comment as the in-memory repository does: listed last, counted in the post and the list', async () => {
    const expected = createInMemoryPostsRepository();
    const actual = createDatabasePostsRepository(db);
    const input = { author: 'Ada Lovelace', body: 'Line one\nline two 𝄞' };
    const [mine, theirs] = [await actual.addComment(5, input), await expected.addComment(5, input)];
    expect(mine).toEqual({ ...theirs, id: expect.any(Number), createdAt: expect.any(String) });
    expect((await actual.listComments(5))!.at(-1)).toEqual(mine);
    expect((await actual.getPost(5))!.commentCount).toBe((await expected.getPost(5))!.commentCount);
    const counts = async (repository: typeof actual) =>
      (await repository.listPosts()).filter((post) => post.id !== 1).map((post) => [post.id, post.commentCount]);
    // Post 1 is left out: the test above wrote a comment to it straight into the table, uncounted.
    expect(await counts(actual)).toEqual(await counts(expected));
  });

  it('answers undefined for a comment on a post that does not exist, and counts nothing', async () => {
    const repository = createDatabasePostsRepository(db);
    const before = await repository.listPosts();
    expect(await repository.addComment(999_999, { author: 'Ada', body: 'Hello' })).toBeUndefined();
    expect(await repository.listPosts()).toEqual(before);
  });

  it('counts 50 concurrent comments on one post exactly, losing none', async () => {
    const repository = createDatabasePostsRepository(db);
    const before = (await repository.getPost(6))!.commentCount;
    const listed = (await repository.listComments(6))!.length;
    const added = await Promise.all(
      Array.from({ length: 50 }, (_, n) => repository.addComment(6, { author: `Reader ${n}`, body: `Comment ${n}` })),
    );
    expect(new Set(added.map((comment) => comment!.id)).size).toBe(50);
    expect((await repository.getPost(6))!.commentCount).toBe(before + 50);
    expect(await repository.listComments(6)).toHaveLength(listed + 50);
  });

  it('keeps one subscription per address whatever its case, and concurrent adds lose nothing', async () => {
    const subscriptions = createDatabaseSubscriptionsRepository(db);
    expect(await subscriptions.add({ name: 'Ada', email: 'ada@example.com' })).toBe('added');
    expect(await subscriptions.add({ name: 'Ada again', email: 'ADA@Example.com' })).toBe('exists');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) => subscriptions.add({ name: `Reader ${n}`, email: `reader${n}@example.com` })),
    );
    expect(results.every((result) => result === 'added')).toBe(true);
    expect(await subscriptions.count()).toBe(51);
  });
});
