/**
 * The embedded database is one connection shared by pg-boss and the app. pg-boss's multi-statement
 * SQL (its own BEGIN … COMMIT blocks, advisory locks) must neither interleave with the app's
 * transactions nor leave a failed block open for the app's next query.
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, expect, it } from 'vitest';
import { createJobs } from '../src/jobs/create-jobs.js';
import { defineJob } from '../src/jobs/define-job.js';
import { pgliteBossDatabase } from '../src/jobs/pglite-boss-database.js';
import { embeddedTier, eventually } from '@composable-svelte/testing';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

it(
  'a failing pg-boss block is rolled back before the app query queued behind it runs',
  { timeout: 30_000 },
  async () => {
    const { database, dispose } = await embeddedTier.fresh();
    disposers.push(dispose);
    const pglite = (database.db as unknown as { $client: PGlite }).$client;
    const boss = pgliteBossDatabase(pglite);
    const failing = boss.executeSql('BEGIN; SELECT pg_advisory_xact_lock(1); SELECT 1/0; COMMIT;');
    const app = database.db.execute(sql`select 41 + 1 as answer`);
    await expect(failing).rejects.toThrow('division by zero');
    expect(((await app) as unknown as { rows: { answer: number }[] }).rows).toEqual([{ answer: 42 }]);
    // Every statement's rows come back, not only the last one's: pg-boss reads its lock row from the middle.
    const { rows } = await boss.executeSql('BEGIN; SELECT pg_advisory_xact_lock(2); SELECT 7 AS n; COMMIT;');
    expect(rows).toEqual([{ pg_advisory_xact_lock: '' }, { n: 7 }]);
  },
);

it('jobs and the app share the embedded database under concurrency', { timeout: 60_000 }, async () => {
  const { database, dispose } = await embeddedTier.fresh();
  disposers.push(dispose);
  await database.db.execute(sql`create table ledger (id serial primary key, amount int not null)`);
  const record = defineJob('record', {
    payload: Type.Object({ amount: Type.Integer() }),
    concurrency: 4,
    handler: async (payload) => {
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into ledger (amount) values (${payload.amount})`);
        await tx.execute(sql`select pg_sleep(0.002)`);
      });
    },
  });
  const jobs = createJobs({ database, jobs: [record], pollIntervalMs: 500, superviseIntervalMs: 1000 });
  disposers.push(() => jobs.stop({ timeoutMs: 2000 }));
  await jobs.start();

  // The app's own transactions, interleaved with enqueues and the workers' claims and completions.
  const appWrites = Array.from({ length: 40 }, (_, n) =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into ledger (amount) values (${-n})`);
      await jobs.enqueue('record', { amount: n + 1 }, { tx });
      await tx.execute(sql`select pg_sleep(0.001)`);
    }),
  );
  await Promise.all(appWrites);
  const total = async () =>
    (
      (await database.db.execute(
        sql`select count(*)::int as n, coalesce(sum(amount), 0)::int as sum from ledger`,
      )) as unknown as {
        rows: { n: number; sum: number }[];
      }
    ).rows[0]!;
  expect(await eventually(async () => (await total()).n === 80, 30_000, 100)).toBe(true);
  // Each job ran exactly once: +1…+40 from the jobs, −0…−39 from the app.
  expect(await total()).toEqual({ n: 80, sum: 40 });

  // Without { tx } inside a transaction the call would wait forever for the connection: refused.
  await expect(
    database.db.transaction(async () => {
      await jobs.enqueue('record', { amount: 1 });
    }),
  ).rejects.toThrow(/inside a transaction on the embedded database without \{ tx \}/);
  await expect(
    database.db.transaction(async () => {
      await jobs.get('record', '00000000-0000-4000-8000-000000000000');
    }),
  ).rejects.toThrow(/inside a transaction on the embedded database/);

  // Enqueued in a transaction that rolls back: the job never existed.
  await expect(
    database.db.transaction(async (tx) => {
      await jobs.enqueue('record', { amount: 1000 }, { tx });
      throw new Error('rolled back');
    }),
  ).rejects.toThrow('rolled back');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await total()).toEqual({ n: 80, sum: 40 });
});
