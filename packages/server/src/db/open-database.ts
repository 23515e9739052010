import cluster from 'node:cluster';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { ServerConfig } from '../config/load-config.js';
import type { PostgresPoolOptions } from '../stores/postgres-pool.js';
import { parseDatesPerCaller, textDateParsers } from './pglite-date-parsing.js';
import { timeQueries, type QueryObserver } from './query-observer.js';
import { oneStatementPerTurn } from './statement-turns.js';

/** A Drizzle database over either tier: the same query builder, schema and migrations for both. */
export type Db<TSchema extends Record<string, unknown> = Record<string, never>> = PgDatabase<PgQueryResultHKT, TSchema>;

export interface Database<TSchema extends Record<string, unknown> = Record<string, never>> {
  /** `embedded`: PGlite in this process. `postgres`: a PostgreSQL server through a `pg` pool. */
  readonly kind: 'embedded' | 'postgres';
  readonly db: Db<TSchema>;
  /** One round trip; rejects while the database cannot answer. */
  probe(): Promise<void>;
  close(): Promise<void>;
  /** Reports every statement from now on (one observer: metrics and the slow-query log share it). */
  observe(observer: QueryObserver): void;
  /** Connection counts of the PostgreSQL pool; the embedded database has none. */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
  /** The embedded database's files as a gzipped tarball, to start others from (`template`). */
  dump(): Promise<Blob>;
}

export interface OpenDatabaseOptions<TSchema extends Record<string, unknown>> {
  /** `postgres://…`: a PostgreSQL server. Unset: the embedded database. */
  readonly url?: string;
  /** The embedded database's directory (created when missing); `memory://` keeps it in memory. */
  readonly dataDir?: string;
  /**
   * A dump (`database.dump()`) that a new embedded database starts from instead of running initdb:
   * ~0.5 s instead of seconds, and already migrated and seeded if the dump was. An existing data
   * directory is opened as it is.
   */
  readonly template?: () => Blob | Promise<Blob>;
  /** The app's Drizzle tables and relations, for typed relational queries. */
  readonly schema?: TSchema;
  readonly pool?: Omit<PostgresPoolOptions, 'logger' | 'onStateChange'>;
  readonly logger?: PostgresPoolOptions['logger'];
  readonly onStateChange?: (up: boolean) => void;
}

/**
 * Opens the embedded database (PGlite: real PostgreSQL compiled to WebAssembly, no service to run)
 * or, with a URL, a PostgreSQL server. Both speak the same SQL, so one schema and one set of
 * migrations serve both; the contract tests run on each.
 */
export async function openDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(
  options: OpenDatabaseOptions<TSchema>,
): Promise<Database<TSchema>> {
  const schemaOption = options.schema ? { schema: options.schema } : {};
  let observer: QueryObserver | undefined;
  const current = () => observer;
  const observe = (next: QueryObserver) => {
    observer = next;
  };
  if (options.url) {
    // Imported only for a server: pg is a good part of start-up time on the embedded tier.
    const [{ createPostgresPool }, { drizzle: drizzlePostgres }] = await Promise.all([
      import('../stores/postgres-pool.js'),
      import('drizzle-orm/node-postgres'),
    ]);
    const pool = createPostgresPool(options.url, {
      max: 10,
      ...options.pool,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.onStateChange ? { onStateChange: options.onStateChange } : {}),
    });
    // Each physical connection is wrapped once, when the pool opens it; queries all go through one.
    pool.on('connect', (client) => timeQueries(client, current));
    return {
      kind: 'postgres',
      db: drizzlePostgres(pool, schemaOption),
      probe: () => pool.probe(),
      close: once(() => pool.end()),
      observe,
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      dump: () => Promise.reject(new Error('Only the embedded database can be dumped; use pg_dump for PostgreSQL')),
    };
  }
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.includes('://')) {
    // PGlite is PostgreSQL in one process: a second process on the same directory corrupts it.
    if (cluster.isWorker) {
      throw new Error(
        `The embedded database (${dataDir}) serves one process, but this is a cluster worker: with WEB_CONCURRENCY > 1 set DATABASE_URL to a PostgreSQL server.`,
      );
    }
    mkdirSync(dataDir, { recursive: true });
  }
  const fresh = dataDir.includes('://') || !existsSync(join(dataDir, 'PG_VERSION'));
  const client = await PGlite.create({
    dataDir,
    parsers: textDateParsers,
    // Read only when used: a restart or a PostgreSQL deployment never loads the dump.
    ...(options.template && fresh ? { loadDataDir: await options.template() } : {}),
  });
  parseDatesPerCaller(client);
  timeQueries(client, current);
  const transaction = client.transaction.bind(client);
  client.transaction = (work) =>
    transaction((tx) => {
      parseDatesPerCaller(tx);
      timeQueries(tx, current);
      return work(tx);
    });
  // Outermost, so a statement's time in the query metrics is its own, not its wait for a turn.
  oneStatementPerTurn(client);
  return {
    kind: 'embedded',
    db: drizzlePglite(client, schemaOption),
    probe: async () => {
      await client.query('select 1');
    },
    close: once(() => client.close()),
    observe,
    poolStats: () => undefined,
    dump: () => client.dumpDataDir('gzip') as Promise<Blob>,
  };
}

/** Shutdown paths may close a database more than once (a plugin's onClose, then the app's own). */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/** The database the configuration names: DATABASE_URL's server, else the embedded one in DATABASE_DIR. */
export function databaseOptions(config: ServerConfig): OpenDatabaseOptions<Record<string, never>> {
  if (config.databaseUrl) {
    return {
      url: config.databaseUrl,
      pool: {
        max: config.databasePoolMax,
        statementTimeoutMs: config.databaseStatementTimeoutMs,
        idleTimeoutMs: config.databaseIdleTimeoutMs,
      },
    };
  }
  return { dataDir: config.databaseDir };
}
