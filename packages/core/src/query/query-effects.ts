import { Effect } from '../effect/effect.js';
import { attempt, type Fetcher } from './attempt.js';
import { DEFAULT_CACHE_TIME, type QueryCache } from './query-cache.js';
import type { QueryError } from './query-error.js';
import { hashQueryKey, type QueryKey } from './query-key.js';

/** What a query dispatches, through `toAction`. */
export type QueryResult<T> =
  | {
      readonly status: 'success';
      readonly key: QueryKey;
      readonly data: T;
      readonly updatedAt: number;
      /** True for the cached answer dispatched at once; false for one just fetched. */
      readonly cached: boolean;
    }
  | { readonly status: 'error'; readonly key: QueryKey; readonly error: QueryError };

export type MutationResult<T> =
  { readonly status: 'success'; readonly data: T } | { readonly status: 'error'; readonly error: QueryError };

export interface QueryOptions<T, A> {
  /** The store's cache: the `queries` dependency the reducer received. */
  readonly cache: QueryCache;
  readonly toAction: (result: QueryResult<T>) => A;
  /** How long an answer is served without asking again, in ms. Default 0: always revalidate. */
  readonly staleTime?: number;
  /** How long an entry no query uses stays cached, in ms. Default 5 minutes. */
  readonly cacheTime?: number;
  /** Past this the fetch is aborted and the result is a `timeout` error. Default: no limit. */
  readonly timeoutMs?: number;
}

export interface MutationOptions<T, A> {
  readonly cache: QueryCache;
  readonly toAction: (result: MutationResult<T>) => A;
  /** Key prefixes whose entries become stale once the mutation succeeded. */
  readonly invalidates?: readonly QueryKey[];
  readonly timeoutMs?: number;
}

function checkTime(name: string, ms: number | undefined): void {
  if (ms !== undefined && (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0)) {
    throw new RangeError(`Effect.query: ${name} must be a number ≥ 0 (Infinity allowed); got ${String(ms)}`);
  }
}

/**
 * Loads `key` through the cache: a cached answer is dispatched at once; when it is missing or
 * stale the fetcher runs (joined with any fetch of the same key already running) and its answer
 * is dispatched when it arrives. It is an `Effect.run`, so cancelling it (an enclosing
 * `Effect.cancellable`, a dismissed child, `store.destroy()`) drops the late answer.
 */
export function query<T, A>(key: QueryKey, fetcher: Fetcher<T>, options: QueryOptions<T, A>): Effect<A> {
  hashQueryKey(key);
  const { cache, toAction, staleTime = 0, cacheTime = DEFAULT_CACHE_TIME, timeoutMs } = options;
  checkTime('staleTime', staleTime);
  checkTime('cacheTime', cacheTime);
  checkTime('timeoutMs', timeoutMs);
  return Effect.run<A>(async (dispatch, { signal }) => {
    const release = cache.observe(key, cacheTime);
    try {
      const cached = cache.peek<T>(key);
      if (cached)
        dispatch(toAction({ status: 'success', key, data: cached.data, updatedAt: cached.updatedAt, cached: true }));
      if (cached && cache.freshness(key, staleTime) === 'fresh') return;
      const outcome = await cache.fetch(key, fetcher, { signal, timeoutMs });
      if (!outcome || signal.aborted) return;
      if (outcome.status === 'unclassified') throw outcome.error;
      dispatch(
        toAction(
          outcome.status === 'success'
            ? { status: 'success', key, data: outcome.data, updatedAt: outcome.updatedAt, cached: false }
            : { status: 'error', key, error: outcome.error },
        ),
      );
    } finally {
      release();
    }
  });
}

/**
 * Runs a change (never deduped, never cached) and, once it succeeded, marks the entries under
 * `invalidates` stale: even when the effect was cancelled meanwhile, since the change happened.
 */
export function mutate<T, A>(mutator: Fetcher<T>, options: MutationOptions<T, A>): Effect<A> {
  const { cache, toAction, invalidates = [], timeoutMs } = options;
  for (const prefix of invalidates) hashQueryKey(prefix);
  checkTime('timeoutMs', timeoutMs);
  return Effect.run<A>(async (dispatch, { signal }) => {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const outcome = await attempt(cache.clock, mutator, controller, timeoutMs);
      if (outcome.status === 'success') cache.invalidate(...invalidates);
      if (signal.aborted) return;
      if (outcome.status === 'unclassified') throw outcome.error;
      dispatch(toAction(outcome));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  });
}
