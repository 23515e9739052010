import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Db } from './open-database.js';

/** An arbitrary constant naming "schema migrations" among the app's advisory locks. */
const MIGRATION_LOCK_KEY = 7_305_219_014_552n;

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    /** The journal tag of the migration that failed, e.g. `0003_comment_authors`. */
    readonly migration: string,
    cause: unknown,
  ) {
    // Drizzle wraps the driver's error in "Failed query: <the whole SQL>"; PostgreSQL's own words are the cause.
    const reason = databaseMessage(cause);
    super(`Migration ${migration} failed: ${reason}. Nothing was applied: the database is as it was before start-up.`, {
      cause,
    });
  }
}

export interface MigrateResult {
  /** Tags of the migrations this call applied, in order (empty when the database was up to date). */
  readonly applied: readonly string[];
}

/**
 * Applies drizzle-kit's SQL migrations (the folder `drizzle-kit generate` writes), all or nothing.
 *
 * Drizzle's own migrator reads the last applied migration outside its transaction and takes no
 * lock, so instances starting together can each apply the same migration. Here the whole run is
 * one transaction that first takes a PostgreSQL advisory lock: a second instance waits, then finds
 * nothing left to do. The bookkeeping table is drizzle-kit's, so `drizzle-kit migrate` agrees.
 */
export async function migrate(db: Db<Record<string, unknown>>, migrationsFolder: string): Promise<MigrateResult> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    // Both drivers (pg's QueryResult, PGlite's Results) answer with `rows`; the shared type cannot say so.
    const { rows } = (await tx.execute(
      sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    )) as unknown as { rows: { created_at: string | number }[] };
    const lastApplied = rows[0] === undefined ? -Infinity : Number(rows[0].created_at);
    for (const [index, migration] of migrations.entries()) {
      if (migration.folderMillis <= lastApplied) continue;
      const tag = journal.entries[index]?.tag ?? `#${index}`;
      try {
        for (const statement of migration.sql) {
          if (statement.trim() !== '') await tx.execute(sql.raw(statement));
        }
      } catch (error) {
        throw new MigrationError(tag, error);
      }
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
      applied.push(tag);
    }
  });
  return { applied };
}

function databaseMessage(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (typeof (current as { code?: unknown }).code === 'string') return current.message;
    current = current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}
