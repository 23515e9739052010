import type { Db } from './open-database.js';

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);

export interface TransactionOptions {
  /** How many times a serialization failure or deadlock is retried before it is thrown. */
  readonly retries?: number;
  readonly isolationLevel?: 'read committed' | 'repeatable read' | 'serializable';
}

/** Drizzle wraps driver errors; the SQLSTATE sits on the error or on one of its causes. */
function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isRetryableTransactionError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && RETRYABLE.has(state);
}

type Tx<TSchema extends Record<string, unknown>> = Parameters<Parameters<Db<TSchema>['transaction']>[0]>[0];

/**
 * Runs `work` in a transaction and runs it again, from the start, when PostgreSQL aborts it with a
 * serialization failure (40001) or a deadlock (40P01) — the two errors the server itself says to
 * retry. `work` must therefore be safe to repeat: it may only touch the database through `tx`.
 * Retries wait a short, growing, jittered delay so two colliding transactions do not collide again.
 */
export async function transaction<TSchema extends Record<string, unknown>, T>(
  db: Db<TSchema>,
  work: (tx: Tx<TSchema>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 3;
  const config = options.isolationLevel ? { isolationLevel: options.isolationLevel } : undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(work, config);
    } catch (error) {
      if (attempt >= retries || !isRetryableTransactionError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, (attempt + 1) * (5 + Math.random() * 20)));
    }
  }
}
