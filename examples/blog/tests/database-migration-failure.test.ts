/**
 * A migration that cannot apply stops the production build at start-up: exit 1, a message that
 * names the migration and PostgreSQL's reason, and the database exactly as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@composable-svelte/server/db';
import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { builtEntry, killChildrenAfterEach, spawnChild } from './support/ops-child.js';
import { freePort } from './support/free-port.js';

killChildrenAfterEach();

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function tables(dataDir: string): Promise<string[]> {
  const database = await openDatabase({ dataDir });
  try {
    const result = (await database.db.execute(
      sql`select table_name || '(' || string_agg(column_name, ',' order by column_name) || ')' as t
          from information_schema.columns where table_schema = 'public' group by table_name order by table_name`,
    )) as unknown as { rows: { t: string }[] };
    return result.rows.map((row) => row.t);
  } finally {
    await database.close();
  }
}

it('exits 1 naming the failed migration, and leaves the database as it was', { timeout: 60_000 }, async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-blog-migrate-'));
  const dataDir = join(dir, 'db');
  // A database someone else wrote a `posts` table into: the first migration cannot create its own.
  const existing = await openDatabase({ dataDir });
  await existing.db.execute(sql`create table posts (legacy_id integer)`);
  await existing.close();

  const child = spawnChild({
    script: builtEntry,
    port: await freePort(),
    env: {
      NODE_ENV: 'production',
      SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
      PUBLIC_URL: 'https://example.test',
      HOST: '127.0.0.1',
      DATABASE_DIR: dataDir,
    },
  });
  expect(await child.exited(30_000)).toEqual({ code: 1, signal: null });
  expect(child.stderr()).toMatch(
    /^Migration 0000_blog_tables failed: relation "posts" already exists\. Nothing was applied: the database is as it was before start-up\.$/m,
  );
  // A message, not a stack trace.
  expect(child.stderr()).not.toMatch(/\n\s+at /);
  expect(await tables(dataDir)).toEqual(['posts(legacy_id)']);
});
