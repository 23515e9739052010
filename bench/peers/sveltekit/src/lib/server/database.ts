// The peer's database, chosen at start like the blog's: DATABASE_URL names a PostgreSQL server
// (a pg pool of the blog's default size); otherwise DATABASE_TEMPLATE names the blog's build template
// (examples/blog/dist/server/db-template.tar.gz), loaded into an in-memory PGlite, as the blog does
// for DATABASE_DIR=memory://. Both engines then answer the same SQL from the same seeded rows.
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { env } from '$env/dynamic/private';

export interface Queryable {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** The blog's DATABASE_POOL_MAX default. */
const POOL_MAX = 10;

async function open(): Promise<Queryable> {
  if (env.DATABASE_URL) return new pg.Pool({ connectionString: env.DATABASE_URL, max: POOL_MAX });
  if (env.DATABASE_TEMPLATE) {
    return PGlite.create({ dataDir: 'memory://', loadDataDir: new Blob([readFileSync(env.DATABASE_TEMPLATE)]) });
  }
  throw new Error('Set DATABASE_URL (PostgreSQL) or DATABASE_TEMPLATE (the blog’s embedded database template)');
}

let opened: Promise<Queryable> | undefined;
export const database = (): Promise<Queryable> => (opened ??= open());
