/**
 * The data layer's contract, run on both tiers: the embedded database (PGlite) and a PostgreSQL
 * server (DATABASE_URL). Whatever an app relies on must behave the same on each.
 */
import { fileURLToPath } from 'node:url';
import { count, eq, sql } from 'drizzle-orm';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePlugin } from '../src/db/database-plugin.js';
import { migrate, MigrationError } from '../src/db/migrate.js';
import { openDatabase, type Database } from '../src/db/open-database.js';
import { transaction } from '../src/db/transaction.js';
import { createServerMetrics } from '../src/observability/metrics.js';
import { readiness } from '../src/observability/readiness.js';
import { databaseTiers, type Tier } from '@composable-svelte/testing';

const OK = fileURLToPath(new URL('./fixtures/migrations/ok', import.meta.url));
const FAILING = fileURLToPath(new URL('./fixtures/migrations/failing', import.meta.url));

const notes = pgTable('notes', {
  id: serial('id').primaryKey(),
  body: text('body').notNull(),
  likes: integer('likes').notNull().default(0),
});
const counters = pgTable('counters', { name: text('name').primaryKey(), value: integer('value').notNull() });

type Db = Database<Record<string, unknown>>['db'];

async function tableNames(db: Db): Promise<string[]> {
  const result = (await db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  )) as unknown as { rows: { table_name: string }[] };
  return result.rows.map((row) => row.table_name);
}

async function appliedCount(db: Db): Promise<number> {
  const result = (await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as {
    rows: { n: number }[];
  };
  return result.rows[0]!.n;
}

/** Makes PostgreSQL itself abort the transaction with `state`, as it does on a real conflict. */
const raise = (state: string) => sql.raw(`do $$ begin raise exception 'conflict' using errcode = '${state}'; end $$`);

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(disposers.splice(0).map((dispose) => dispose()));
});

async function fresh(tier: Tier) {
  const opened = await tier.fresh();
  disposers.push(opened.dispose);
  return opened;
}

describe.each(await databaseTiers())('data layer on $name', (tier) => {
  it('answers queries through Drizzle and a probe', { timeout: 30_000 }, async () => {
    const { database } = await fresh(tier);
    expect(database.kind).toBe(tier.name);
    await expect(database.probe()).resolves.toBeUndefined();
    await migrate(database.db, OK);
    const bodies = ['één', "it's; drop table notes; --", '𝄞 \u2028 "quoted"'];
    await database.db.insert(notes).values(bodies.map((body) => ({ body })));
    const rows = await database.db.select({ body: notes.body }).from(notes).orderBy(notes.id);
    expect(rows.map((row) => row.body)).toEqual(bodies);
    // PostgreSQL text cannot hold NUL on either tier: callers must refuse it before (a 400).
    const nul = await database.db
      .insert(notes)
      .values({ body: 'a\u0000b' })
      .catch((error: unknown) => error);
    expect(JSON.stringify((nul as Error).cause ?? nul)).toContain('22021');
  });

  it('applies every migration on a fresh database, and none the second time', { timeout: 30_000 }, async () => {
    const { database } = await fresh(tier);
    expect(await migrate(database.db, OK)).toEqual({ applied: ['0000_notes', '0001_note_counts'] });
    expect(await tableNames(database.db)).toEqual(['counters', 'notes']);
    expect(await migrate(database.db, OK)).toEqual({ applied: [] });
    expect(await appliedCount(database.db)).toBe(2);
  });

  it('two migrators starting together apply each migration exactly once', { timeout: 30_000 }, async () => {
    const { database, url } = await fresh(tier);
    // On PostgreSQL the second migrator is another pool, as a second instance would be.
    const other = url ? await openDatabase({ url }) : database;
    if (other !== database) disposers.unshift(() => other.close());
    const results = await Promise.all([migrate(database.db, OK), migrate(other.db, OK)]);
    expect(results.flatMap((result) => result.applied).sort()).toEqual(['0000_notes', '0001_note_counts']);
    expect(await appliedCount(database.db)).toBe(2);
  });

  it('a failing migration names itself and leaves the database as it was', { timeout: 30_000 }, async () => {
    const { database } = await fresh(tier);
    const failure = await migrate(database.db, FAILING).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migration).toBe('0001_broken');
    expect((failure as Error).message).toMatch(/^Migration 0001_broken failed: .*no_such_table.*as it was/);
    // The migration before it, in the same run, is rolled back too.
    expect(await tableNames(database.db)).toEqual([]);
  });

  it(
    'retries a transaction PostgreSQL aborted as a serialization failure or deadlock',
    { timeout: 30_000 },
    async () => {
      const { database } = await fresh(tier);
      await migrate(database.db, OK);
      for (const state of ['40001', '40P01']) {
        let attempts = 0;
        const id = await transaction(database.db, async (tx) => {
          attempts++;
          const [row] = await tx.insert(notes).values({ body: state }).returning({ id: notes.id });
          if (attempts === 1) await tx.execute(raise(state));
          return row!.id;
        });
        expect(attempts).toBe(2);
        // The first attempt's insert was rolled back with it: exactly one row.
        const rows = await database.db.select().from(notes).where(eq(notes.body, state));
        expect(rows.map((row) => row.id)).toEqual([id]);
      }
    },
  );

  it('gives up after the retry bound, and never retries other errors', { timeout: 30_000 }, async () => {
    const { database } = await fresh(tier);
    await migrate(database.db, OK);
    let attempts = 0;
    const bounded = await transaction(
      database.db,
      async (tx) => {
        attempts++;
        await tx.execute(raise('40001'));
      },
      { retries: 2 },
    ).catch((error: unknown) => error);
    expect(attempts).toBe(3);
    expect(String((bounded as Error).cause ?? bounded)).toMatch(/conflict/);

    attempts = 0;
    await database.db.insert(counters).values({ name: 'a', value: 1 });
    const duplicate = await transaction(database.db, async (tx) => {
      attempts++;
      await tx.insert(counters).values({ name: 'a', value: 2 });
    }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Error);
    expect(attempts).toBe(1);
  });

  it('50 concurrent serializable increments lose no write', { timeout: 60_000 }, async () => {
    const { database } = await fresh(tier);
    await migrate(database.db, OK);
    await database.db.insert(counters).values({ name: 'hits', value: 0 });
    await Promise.all(
      Array.from({ length: 50 }, () =>
        transaction(
          database.db,
          async (tx) => {
            const [row] = await tx.select().from(counters).where(eq(counters.name, 'hits'));
            await tx
              .update(counters)
              .set({ value: row!.value + 1 })
              .where(eq(counters.name, 'hits'));
          },
          { isolationLevel: 'serializable', retries: 100 },
        ),
      ),
    );
    const [row] = await database.db.select().from(counters).where(eq(counters.name, 'hits'));
    expect(row!.value).toBe(50);
    const [total] = await database.db.select({ n: count() }).from(counters);
    expect(total!.n).toBe(1);
  });

  it('as a plugin: migrates before start, reports on /ready, closes with the server', { timeout: 30_000 }, async () => {
    const { database } = await fresh(tier);
    const app = Fastify();
    await app.register(readiness, { timeoutMs: 2000 });
    await app.register(databasePlugin, { database, migrationsFolder: OK });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ checks: { database: { status: 'up' } } });
    expect(await tableNames(app.database!.db)).toEqual(['counters', 'notes']);
    await app.close();
    await expect(database.probe()).rejects.toThrow();
  });

  it('as a plugin: a failing migration stops start-up', { timeout: 30_000 }, async () => {
    const { database } = await fresh(tier);
    const app = Fastify({ logger: false });
    await expect(app.register(databasePlugin, { database, migrationsFolder: FAILING })).rejects.toThrow(MigrationError);
    await app.close();
  });

  it(
    'as a plugin: times each statement by name, logs slow ones, counts pool connections',
    { timeout: 30_000 },
    async () => {
      const { database } = await fresh(tier);
      const lines: Record<string, unknown>[] = [];
      const app = Fastify({
        logger: { level: 'warn', stream: { write: (line: string) => void lines.push(JSON.parse(line)) } },
      });
      app.decorate('metrics', createServerMetrics());
      await app.register(databasePlugin, { database, migrationsFolder: OK, slowQueryMs: 40 });
      await app.ready();
      // First: pg's pool discards the connection a statement failed on.
      await database.db.execute(sql`select * from no_such_table`).catch(() => {});
      await database.db.insert(notes).values({ body: 'timed' });
      await database.db.select().from(notes);
      await transaction(database.db, async (tx) => {
        await tx.select().from(counters);
      });
      await database.db.execute(sql`select pg_sleep(0.05)`);

      const text = await app.metrics.registry.metrics();
      const count = (labels: string) =>
        Number(new RegExp(`^db_query_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      expect(count('statement="insert notes",outcome="ok"')).toBe(1);
      expect(count('statement="select notes",outcome="ok"')).toBe(1);
      expect(count('statement="select counters",outcome="ok"')).toBe(1);
      expect(count('statement="select no_such_table",outcome="error"')).toBe(1);
      expect(text).toMatch(/^db_query_errors_total\{statement="select no_such_table"\} 1$/m);
      if (tier.name === 'postgres') expect(text).toMatch(/^db_pool_connections\{state="total"\} [1-9]/m);

      const slow = lines.filter((line) => line.msg === 'slow database query');
      // Under load any statement may pass 40 ms; the sleeping one always does, and nothing faster is logged.
      expect(slow.map((line) => line.statement)).toContain('select');
      for (const line of slow) expect(line.durationMs).toBeGreaterThanOrEqual(40);
      await app.close();
    },
  );
});
