import type { PGlite } from '@electric-sql/pglite';
import type { Db as BossDb } from 'pg-boss';
import { insideTransaction } from './embedded-transactions.js';

/** Statements PostgreSQL refuses inside a transaction block. */
const OUTSIDE_TRANSACTION = /\b(concurrently|vacuum)\b/i;

/**
 * pg-boss's `db` option over the embedded database. PGlite is one connection shared with the app,
 * so two things differ from pg-boss's own `fromPglite`:
 *
 * - A parameterless text is pg-boss's multi-statement SQL (`BEGIN; … RETURNING …; COMMIT`). It runs
 *   with `exec` (one result per statement, every statement's rows returned: pg-boss reads a lock row
 *   from the middle) inside `transaction()`, which holds PGlite's lock until it has rolled back on
 *   failure. A bare `exec` releases the lock with the session still in the aborted transaction, and
 *   whichever query is queued next (the app's) fails with "current transaction is aborted".
 * - Parameterised statements are single statements in autocommit, atomic under the same lock.
 *
 * The app's own transactions hold that lock too, so pg-boss waits for them, never interleaves —
 * and a call awaited inside one of them could never run: it is refused instead.
 */
export function pgliteBossDatabase(pglite: PGlite): BossDb {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (insideTransaction()) {
        throw new Error(
          'A jobs call (get, cancel, progress…) was awaited inside a transaction on the embedded database: the transaction holds its one connection, so it would wait forever. Make the call after the transaction (enqueue takes { tx }).',
        );
      }
      if (values && values.length > 0) return pglite.query(text, values);
      if (OUTSIDE_TRANSACTION.test(text)) return { rows: (await pglite.exec(text)).flatMap((result) => result.rows) };
      const results = await pglite.transaction((tx) => tx.exec(text));
      return { rows: results.flatMap((result) => result.rows) };
    },
    async listen(channel, onNotification, onReconnect) {
      const unsubscribe = await pglite.listen(channel, onNotification);
      onReconnect();
      return { close: () => unsubscribe() };
    },
  };
}
