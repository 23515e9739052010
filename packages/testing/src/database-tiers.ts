import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '@composable-svelte/server/db';
import { serviceUnavailable } from './service-unavailable.js';

export const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A kind of database an app's contract tests run on. */
export interface Tier {
  readonly name: 'embedded' | 'postgres';
  /** A new, empty database of this tier, closed and dropped by `dispose`. */
  fresh(): Promise<{ database: Database<Record<string, unknown>>; url?: string; dispose(): Promise<void> }>;
}

let template: Promise<Blob> | undefined;

/** initdb takes seconds; every embedded test database is a copy of one made per test file. */
function embeddedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const client = await PGlite.create();
    const dump = await client.dumpDataDir('none');
    await client.close();
    return dump;
  })();
  return template;
}

export const embeddedTier: Tier = {
  name: 'embedded',
  async fresh() {
    const database = await openDatabase({ template: embeddedTemplate });
    return { database, dispose: () => database.close() };
  },
};

/** Resolves with the PostgreSQL tier when the server answers, else null (or throws on CI). */
export async function requirePostgresTier(url = DATABASE_URL): Promise<Tier | null> {
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query('select 1');
  } catch (error) {
    return serviceUnavailable(
      'PostgreSQL',
      `${url} from DATABASE_URL: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await admin.end().catch(() => {});
  }
  return {
    name: 'postgres',
    // A database per test, not a schema: migrations create their own `drizzle` schema.
    async fresh() {
      const name = `cs_test_${randomBytes(6).toString('hex')}`;
      const control = new pg.Client({ connectionString: url });
      await control.connect();
      await control.query(`create database ${name}`);
      const target = new URL(url);
      target.pathname = `/${name}`;
      const database = await openDatabase({ url: target.href, pool: { max: 5 } });
      return {
        database,
        url: target.href,
        async dispose() {
          await database.close();
          await control.query(`drop database if exists ${name} with (force)`);
          await control.end();
        },
      };
    },
  };
}

/** The tiers a contract suite runs on: always the embedded one, PostgreSQL when it is there. */
export async function databaseTiers(): Promise<Tier[]> {
  // initdb happens here, while the file is collected, so no test's timeout pays for it.
  await embeddedTemplate();
  const postgres = await requirePostgresTier();
  return postgres ? [embeddedTier, postgres] : [embeddedTier];
}
