import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';

const inside = new AsyncLocalStorage<true>();
const tracked = new WeakSet<PGlite>();

/**
 * Marks the code a PGlite transaction runs (Drizzle's `db.transaction()` goes through
 * `client.transaction`), so the jobs can refuse what would otherwise hang: a statement on the
 * embedded database's one connection, issued and awaited inside a transaction that holds it.
 */
export function trackTransactions(pglite: PGlite): void {
  if (tracked.has(pglite)) return;
  tracked.add(pglite);
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = (work) => transaction((tx) => inside.run(true, () => work(tx)));
}

export function insideTransaction(): boolean {
  return inside.getStore() === true;
}
