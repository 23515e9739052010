/**
 * The blog on its database, on both tiers: migrated and seeded, the database repositories answer
 * exactly what the in-memory repository answers for the same seed, and subscribers persist.
 */
import { fileURLToPath } from 'node:url';
import { migrate, type Db } from '@composable-svelte/server/db';
import { databaseTiers } from '@composable-svelte/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedComments, seedPosts } from '../src/server/data/seed.js';
import { createDatabasePostsRepository } from '../src/server/db/database-posts-repository.js';
import { createDatabaseSubscriptionsRepository } from '../src/server/db/database-subscriptions-repository.js';
import { comments, type BlogSchema } from '../src/server/db/schema.js';
import { seedBlogDatabase } from '../src/server/db/seed-database.js';
import { createInMemoryPostsRepository } from '../src/server/in-memory-posts-repository.js';

const MIGRATIONS = fileURLToPath(new URL('../drizzle', import.meta.url));

describe.each(await databaseTiers())('the blog on the $name database', (tier) => {
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
