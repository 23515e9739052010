import pg from 'pg';
import { BLOG_DB_CLI, CACHE } from './paths.mjs';
import { baseEnv, runNode } from './proc.mjs';

/** The database the PostgreSQL tier owns: dropped and created again at the start of every run. */
export const BENCH_DATABASE = 'cs_bench';

/** The URL of `database` on the server of `adminUrl` (same host, port, user and password). */
export function databaseUrl(adminUrl, database) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** `adminUrl` without its password, for the report. */
export function redact(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * Drops and creates BENCH_DATABASE through `adminUrl` (a maintenance database such as `postgres`; the
 * bench connects to nothing else), then migrates and seeds it with the blog's own `db-cli seed`.
 * Returns its URL. Rejects with the reason when the server cannot be reached or refuses.
 */
export async function prepareBenchDatabase(adminUrl) {
  if (new URL(adminUrl).pathname.replace(/^\//, '') === BENCH_DATABASE) {
    throw new Error(`--pg-admin-url must name another database than ${BENCH_DATABASE}, which the bench drops`);
  }
  // Bounded: a server that accepts but never answers must not hold the run.
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000, query_timeout: 30_000 });
  await client.connect();
  try {
    // FORCE ends the connections a previous, interrupted run may have left.
    await client.query(`drop database if exists ${BENCH_DATABASE} with (force)`);
    await client.query(`create database ${BENCH_DATABASE}`);
  } finally {
    await client.end();
  }
  const url = databaseUrl(adminUrl, BENCH_DATABASE);
  // The blog's migrations and seed exactly as `npm run db:seed -w examples/blog` runs them.
  await runNode([BLOG_DB_CLI, 'seed'], { cwd: CACHE, env: baseEnv({ DATABASE_URL: url }), timeoutMs: 60_000 });
  return url;
}
