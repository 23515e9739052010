/**
 * Domain events through the transactional outbox, on both tiers: delivered only after commit (and
 * never for a rolled-back transaction), at least once, in order per aggregate, retried then
 * dead-lettered, and still delivered when the process died between commit and delivery.
 */
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import type { Database } from '../src/db/open-database.js';
import { createEvents, EventPayloadError, type EventsOptions } from '../src/events/create-events.js';
import { createJobs } from '../src/jobs/create-jobs.js';
import { defineJob } from '../src/jobs/define-job.js';
import { databaseTiers, eventually, type Tier } from '@composable-svelte/testing';

const MIGRATIONS = fileURLToPath(new URL('./fixtures/migrations/events', import.meta.url));

const eventMap = {
  'comment.created': Type.Object({ postId: Type.Integer(), body: Type.String() }),
  'post.published': Type.Object({ postId: Type.Integer() }),
};

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function freshDatabase(tier: Tier): Promise<Database<Record<string, unknown>>> {
  const { database, dispose } = await tier.fresh();
  disposers.push(dispose);
  await migrate(database.db, MIGRATIONS);
  await database.db.execute(
    sql`create table comments (id serial primary key, post_id int not null, body text not null)`,
  );
  return database;
}

function events(database: Database<Record<string, unknown>>, options: Partial<EventsOptions<typeof eventMap>> = {}) {
  const created = createEvents({ database, events: eventMap, pollIntervalMs: 60_000, retryDelayMs: 100, ...options });
  disposers.push(() => created.stop({ timeoutMs: 1000 }));
  return created;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(await databaseTiers())('events on $name', (tier) => {
  it(
    'delivers an event only once its transaction has committed, through the commit signal',
    { timeout: 30_000 },
    async () => {
      const database = await freshDatabase(tier);
      const bus = events(database);
      const seen: { payload: unknown; rows: number }[] = [];
      bus.on('comment.created', 'count-comments', async (payload) => {
        const result = (await database.db.execute(sql`select count(*)::int as n from comments`)) as unknown as {
          rows: { n: number }[];
        };
        seen.push({ payload, rows: result.rows[0]!.n });
      });
      await bus.start();

      let inTransaction = true;
      const committed = database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into comments (post_id, body) values (3, 'First!')`);
        await bus.emit(tx, 'comment.created', { postId: 3, body: 'First!' }, { key: 'post:3' });
        await sleep(300);
        inTransaction = false;
      });
      await committed;
      expect(inTransaction).toBe(false);
      // Polling is a minute apart here: delivery within a second is the commit signal's doing.
      expect(await eventually(() => seen.length === 1, 2000)).toBe(true);
      // The handler saw the comment the transaction wrote: it ran after the commit.
      expect(seen).toEqual([{ payload: { postId: 3, body: 'First!' }, rows: 1 }]);
    },
  );

  it('never delivers an event emitted in a rolled-back transaction', { timeout: 30_000 }, async () => {
    const database = await freshDatabase(tier);
    const bus = events(database);
    const seen: unknown[] = [];
    bus.on('comment.created', 'record', (payload) => {
      seen.push(payload);
    });
    await bus.start();
    await expect(
      database.db.transaction(async (tx) => {
        await bus.emit(tx, 'comment.created', { postId: 1, body: 'rolled back' });
        throw new Error('the comment failed validation');
      }),
    ).rejects.toThrow('the comment failed validation');
    await bus.deliver();
    await sleep(300);
    expect(seen).toEqual([]);
    const left = (await database.db.execute(sql`select count(*)::int as n from outbox_events`)) as unknown as {
      rows: { n: number }[];
    };
    expect(left.rows[0]!.n).toBe(0);
  });

  it('refuses a payload that does not match the event map', { timeout: 30_000 }, async () => {
    const database = await freshDatabase(tier);
    const bus = events(database);
    await expect(bus.emit(database.db, 'post.published', { postId: 'three' } as never)).rejects.toBeInstanceOf(
      EventPayloadError,
    );
    await expect(bus.emit(database.db, 'post.published', { postId: 'three' } as never)).rejects.toThrow(
      /Event "post.published" payload is invalid: \/postId/,
    );
    await expect(bus.emit(database.db, 'nope' as never, {} as never)).rejects.toThrow(/No event named "nope"/);
  });

  it(
    'delivers an aggregate in order: a failing event holds back its successors, not other aggregates',
    { timeout: 30_000 },
    async () => {
      const database = await freshDatabase(tier);
      const bus = events(database);
      const log: string[] = [];
      let failuresLeft = 2;
      bus.on('comment.created', 'log', (payload, event) => {
        if (payload.body === 'a1' && failuresLeft-- > 0) throw new Error('transient');
        log.push(`${event.key}:${payload.body}#${event.attempt}`);
      });
      await bus.start();
      for (const [key, body] of [
        ['post:a', 'a1'],
        ['post:b', 'b1'],
        ['post:a', 'a2'],
        ['post:b', 'b2'],
        ['post:a', 'a3'],
      ] as const) {
        await database.db.transaction((tx) => bus.emit(tx, 'comment.created', { postId: 1, body }, { key }));
      }
      expect(await eventually(() => log.length === 5, 10_000)).toBe(true);
      const forKey = (key: string) => log.filter((entry) => entry.startsWith(key));
      expect(forKey('post:a')).toEqual(['post:a:a1#3', 'post:a:a2#1', 'post:a:a3#1']);
      expect(forKey('post:b')).toEqual(['post:b:b1#1', 'post:b:b2#1']);
      // post:b was not held back by post:a's retries.
      expect(log.indexOf('post:b:b2#1')).toBeLessThan(log.indexOf('post:a:a1#3'));
    },
  );

  it(
    'retries a failing handler, then dead-letters the event; a retry runs only the handler that failed',
    { timeout: 30_000 },
    async () => {
      const database = await freshDatabase(tier);
      const registry = new Registry();
      const bus = events(database, { maxAttempts: 3, registry });
      const calls = { mail: 0, search: 0 };
      let searchUp = false;
      bus.on('post.published', 'mail', () => {
        calls.mail++;
      });
      bus.on('post.published', 'search', () => {
        calls.search++;
        if (!searchUp) throw new Error('search index down');
      });
      await bus.start();
      await database.db.transaction((tx) => bus.emit(tx, 'post.published', { postId: 9 }));
      expect(await eventually(async () => (await bus.deadLetters()).length === 1, 10_000)).toBe(true);
      expect(calls).toEqual({ mail: 1, search: 3 });
      const [dead] = await bus.deadLetters();
      expect(dead).toMatchObject({
        type: 'post.published',
        payload: { postId: 9 },
        attempts: 3,
        error: 'search index down',
      });
      const text = await registry.metrics();
      expect(text).toContain('events_deliveries_total{type="post.published",outcome="retry"} 2');
      expect(text).toContain('events_deliveries_total{type="post.published",outcome="dead"} 1');

      searchUp = true;
      expect(await bus.retryDeadLetters({ ids: [dead!.id] })).toBe(1);
      expect(await eventually(() => calls.search === 4, 5000)).toBe(true);
      expect(calls.mail).toBe(1);
      expect(await bus.deadLetters()).toEqual([]);
      expect(await registry.metrics()).toContain('events_pending 0');
    },
  );

  it('a handler may enqueue a job: it runs after the event was delivered', { timeout: 30_000 }, async () => {
    const database = await freshDatabase(tier);
    const mailed: number[] = [];
    const notify = defineJob('notify-author', {
      payload: Type.Object({ postId: Type.Integer() }),
      handler: (payload) => {
        mailed.push(payload.postId);
      },
    });
    const jobs = createJobs({ database, jobs: [notify], pollIntervalMs: 500 });
    disposers.push(() => jobs.stop({ timeoutMs: 1000 }));
    await jobs.start();
    const bus = events(database);
    bus.on('comment.created', 'notify-author', async (payload) => {
      await jobs.enqueue('notify-author', { postId: payload.postId });
    });
    await bus.start();
    await database.db.transaction((tx) => bus.emit(tx, 'comment.created', { postId: 12, body: 'Nice' }));
    expect(await eventually(() => mailed.length === 1, 10_000)).toBe(true);
    expect(mailed).toEqual([12]);
  });

  it(
    'an event committed just before the process died is delivered when the next one starts',
    { timeout: 30_000 },
    async () => {
      const database = await freshDatabase(tier);
      // The instance that committed and died before delivering: it never got to deliver anything.
      const crashed = events(database);
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into comments (post_id, body) values (5, 'survives')`);
        await crashed.emit(tx, 'comment.created', { postId: 5, body: 'survives' }, { key: 'post:5' });
      });
      const seen: unknown[] = [];
      const restarted = events(database);
      restarted.on('comment.created', 'record', (payload) => {
        seen.push(payload);
      });
      await restarted.start();
      expect(seen).toEqual([{ postId: 5, body: 'survives' }]);
    },
  );
});
