import pg from 'pg';
import { describeConnectionUrl } from './describe-url.js';

export interface PostgresPoolOptions {
  readonly max: number;
  /** The server cancels any statement running longer than this (0: no limit). */
  readonly statementTimeoutMs?: number;
  /** An idle connection is closed after this long. */
  readonly idleTimeoutMs?: number;
  readonly logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  readonly onStateChange?: (up: boolean) => void;
}

/**
 * A pool tuned like the Redis client: connecting gives up quickly instead of queueing requests
 * behind a database that is away, and a lost connection is logged once per outage, not per query.
 */
export function createPostgresPool(url: string, options: PostgresPoolOptions) {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  const database = describeConnectionUrl(url, 'DATABASE_URL');
  let up: boolean | undefined;
  const mark = (next: boolean, error?: unknown) => {
    if (up === next) return;
    const wasDown = up === false;
    up = next;
    options.onStateChange?.(next);
    if (!next) options.logger?.warn({ database, err: error }, 'PostgreSQL unreachable; queries fail until it returns');
    else if (wasDown) options.logger?.info({ database }, 'PostgreSQL connection restored');
  };
  // An idle client losing its connection must not crash the process.
  pool.on('error', (error) => mark(false, error));
  pool.on('connect', () => mark(true));
  return Object.assign(pool, {
    /** Readiness probe: one round trip; records the outcome for the once-per-change log. */
    async probe(): Promise<void> {
      try {
        await pool.query('select 1');
        mark(true);
      } catch (error) {
        mark(false, error);
        throw error;
      }
    },
  });
}

export type PostgresPool = ReturnType<typeof createPostgresPool>;
